import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** `::ffff:127.0.0.1` (an IPv4 client on a dual-stack socket) is 127.0.0.1. */
const normal = (address: string) =>
  address
    .trim()
    .replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')
    .toLowerCase();

/** Which peers' `X-Forwarded-For` is believed, and for how many hops (the proxies in front, in a row). */
export interface ProxyTrust {
  proxies: ReadonlySet<string>;
  hops: number;
}

/**
 * The address the request came from, for throttling. `X-Forwarded-For` is believed only as far as
 * trusted proxies vouch for it: from the socket's peer leftwards, each hop that is a trusted proxy
 * hands over to the entry it appended, and the first untrusted one is the client. The walk stops
 * after `hops` entries: a client on a proxy's own host has a trusted address itself, and what it
 * wrote before the proxy's entry must not be reached through it. A malformed entry ends the walk
 * at the proxy that passed it on.
 */
export function clientAddress(request: IncomingMessage, trust: ProxyTrust): string {
  let address = normal(request.socket.remoteAddress ?? '');
  const forwarded = (request.headers['x-forwarded-for'] ?? '')
    .toString()
    .split(',')
    .filter((entry) => entry.trim() !== '')
    .slice(-trust.hops);
  while (trust.proxies.has(address) && forwarded.length > 0) {
    const next = normal(forwarded.pop()!);
    if (isIP(next) === 0) break;
    address = next;
  }
  return address;
}

/**
 * `TULITY_TRUSTED_PROXIES`: a comma list of addresses, e.g. `127.0.0.1,::1` for the web proxy on
 * loopback; `TULITY_TRUSTED_PROXY_HOPS`: how many of them stand in a row in front (1: the web proxy).
 */
export const proxyTrust = (list: string, hops = 1): ProxyTrust => ({
  proxies: new Set(
    list
      .split(',')
      .map(normal)
      .filter((address) => address !== ''),
  ),
  hops: Math.max(0, Math.floor(hops)),
});
