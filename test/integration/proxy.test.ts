import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFor, drain, useSimulator } from '../support/simulator.js';

/** A minimal CONNECT proxy, as an enterprise forward proxy: it tunnels bytes and records where to. */
async function startConnectProxy(): Promise<{ url: string; tunnels: string[]; server: Server }> {
  const tunnels: string[] = [];
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, socket, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${address.port}`, tunnels, server };
}

describe('HTTPS proxy', () => {
  it('should send the token request and the API calls through the configured proxy', async () => {
    const sim = await useSimulator({ machines: 30, seed: 21 });
    const proxy = await startConnectProxy();
    afterAll(
      () =>
        new Promise<void>((resolve) =>
          proxy.server.close(() => {
            resolve();
          }),
        ),
    );
    const client = clientFor(sim, { httpsProxy: proxy.url, noProxy: '' });
    const { ids } = await drain(client.machines.list(), (m) => m.id);
    expect(ids.length).toBe(30);
    const target = new URL(sim.url).host;
    // At least one tunnel for sign-in and the API: nothing went around the proxy.
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels)).toEqual(new Set([target]));
  });
});
