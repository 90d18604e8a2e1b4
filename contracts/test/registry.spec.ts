import { test, expect } from '@jest/globals';
import net from 'node:net';
import { assertReachable } from '../src/registry';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('an unreachable registry is reported with the URL it was looked for at', async () => {
  const url = `http://127.0.0.1:${await closedPort()}/apis/ccompat/v7`;

  await expect(assertReachable(url)).rejects.toThrow(
    new RegExp(`^schema registry unreachable \\(GET ${url.replace(/[./]/g, '\\$&')}/config\\): .*ECONNREFUSED`),
  );
});
