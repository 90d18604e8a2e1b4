import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import Koa from 'koa';
import { listen, type RunningServer } from './server';

/** Writes `text` as it is and reads until the server closes the connection. */
function raw(port: number, text: string): Promise<{ head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const end = answer.indexOf('\r\n\r\n');
      resolve({ head: answer.slice(0, end), body: answer.slice(end + 4) });
    });
    socket.write(text, 'latin1');
  });
}

describe('requests Node cannot parse', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await listen(
      new Koa().use((ctx) => void (ctx.body = 'reached the app')),
      0,
    );
  });
  afterAll(() => server.close());

  test.each([
    [
      'a request line over 16 KiB',
      `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      431,
      'REQUEST.HEADERS_TOO_LARGE',
    ],
    ['a malformed request line', 'GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'REQUEST.MALFORMED'],
    [
      'a Content-Length beside chunked encoding',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
      'REQUEST.MALFORMED',
    ],
  ])('%s is answered with problem+json', async (_, request, status, code) => {
    const answer = await raw(server.port, request);

    expect(answer.head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(answer.head.toLowerCase()).toContain('content-type: application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status, code });
  });
});
