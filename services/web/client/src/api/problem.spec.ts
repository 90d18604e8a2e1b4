import { describe, expect, test } from '@jest/globals';
import { ApiError } from './problem';

describe('ApiError', () => {
  test("keeps the service's problem and keys its field errors by the field's path", () => {
    const error = new ApiError(400, {
      title: 'Bad Request',
      status: 400,
      code: 'REQUEST.INVALID',
      detail: 'The request body is invalid.',
      errors: [
        { field: 'levels.0.factor', message: 'Use a whole number above 1.' },
        { field: 'name', message: 'Enter a name.' },
        { field: 'name', message: 'A second complaint about the name.' },
        { nonsense: true },
      ],
    });

    expect(error).toMatchObject({ status: 400, code: 'REQUEST.INVALID', detail: 'The request body is invalid.' });
    expect(error.message).toBe('The request body is invalid.');
    expect(error.fieldErrors).toEqual({ 'levels.0.factor': 'Use a whole number above 1.', name: 'Enter a name.' });
  });

  test('an answer without a usable problem still reads as a sentence', async () => {
    const html = await ApiError.fromResponse(new Response('<html>Bad gateway</html>', { status: 502 }));
    const forbidden = new ApiError(403, { code: 'AUTH.FORBIDDEN' });
    const teapot = new ApiError(418, 'not an object');

    expect(html.detail).toMatch(/did not answer properly/);
    expect(html.code).toBe('HTTP.502');
    expect(forbidden.detail).toBe('You are not allowed to do this.');
    expect(teapot.detail).toBe('The request was refused.');
    expect(teapot.fieldErrors).toEqual({});
  });

  test('a network failure is status 0 with a message about the connection', () => {
    const error = ApiError.network();

    expect(error.status).toBe(0);
    expect(error.code).toBe('NETWORK.UNAVAILABLE');
    expect(error.detail).toMatch(/cannot be reached/);
  });
});
