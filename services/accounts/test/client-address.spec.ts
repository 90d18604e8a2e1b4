import { describe, expect, test } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import { clientAddress, proxyTrust } from '../src/adapters/http/client-address';

const proxies = proxyTrust('127.0.0.1, ::1, 10.0.0.5');
const twoHops = proxyTrust('127.0.0.1, ::1, 10.0.0.5', 2);
const request = (peer: string, forwarded?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  test('a peer that is not a trusted proxy is the client, whatever it forwards', () => {
    expect(clientAddress(request('198.51.100.7', '203.0.113.1'), proxies)).toBe('198.51.100.7');
  });

  test('behind a trusted proxy, the entry it appended is the client, not what the client wrote before it', () => {
    expect(clientAddress(request('127.0.0.1', '10.9.9.9, 203.0.113.1'), proxies)).toBe('203.0.113.1');
  });

  test('a chain of trusted proxies is walked to the right-most untrusted address', () => {
    expect(clientAddress(request('127.0.0.1', '1.2.3.4, 203.0.113.1, 10.0.0.5'), twoHops)).toBe('203.0.113.1');
  });

  test("a client on the proxy's own host cannot reach past the entry the proxy appended", () => {
    // The web proxy on 127.0.0.1 appends its caller's address, 127.0.0.1 too; the forged entry before it stays unread.
    expect(clientAddress(request('127.0.0.1', '203.0.113.9, 127.0.0.1'), proxies)).toBe('127.0.0.1');
  });

  test('an IPv4 peer on a dual-stack socket is recognised as the proxy it is', () => {
    expect(clientAddress(request('::ffff:127.0.0.1', '203.0.113.1'), proxies)).toBe('203.0.113.1');
  });

  test('a malformed entry ends the walk at the proxy that passed it on', () => {
    expect(clientAddress(request('127.0.0.1', '203.0.113.1, not-an-address'), proxies)).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1', ''), proxies)).toBe('127.0.0.1');
  });
});
