import { describe, expect, test } from '@jest/globals';
import { checkNewUser } from './user-form';

describe('the new user form', () => {
  test('a good user passes', () => {
    expect(
      checkNewUser({
        username: 'cashier.anna',
        email: 'anna@example.com',
        fullName: 'Anna Till',
        role: 'cashier',
        password: 'four words make one',
      }),
    ).toEqual({});
  });

  test('each field says what is wrong, as accounts would', () => {
    expect(checkNewUser({ username: 'A', email: 'anna', fullName: ' ', role: 'cashier', password: 'short' })).toEqual({
      username: 'Use 3 to 32 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit.',
      email: 'Enter an email address like name@example.com.',
      fullName: 'Enter a name.',
      password: 'Use at least 12 characters (this one has 5).',
    });
    expect(
      checkNewUser({
        username: 'anna',
        email: 'a@b.co',
        fullName: 'Anna',
        role: 'admin',
        password: 'my name is anna ok',
      }).password,
    ).toBe('The password must not contain the username.');
  });
});
