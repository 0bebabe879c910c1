import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubMetrics } from './hub-metrics.js';

export interface MetricsServerOptions {
  readonly host: string;
  /** 0: any free port (see `port` of the answer). */
  readonly port: number;
  readonly metrics: Pick<HubMetrics, 'text' | 'contentType'>;
  /** Why a scrape failed (a database that did not answer): for the process's log, as the scraper gets only a 500. */
  readonly onError?: (error: unknown) => void;
}

export interface MetricsServer {
  /** The port it listens on. */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A bare HTTP listener for a process without the API server (a worker): `GET /metrics` and nothing else, so a
 * scraper's port exposes no other route. Without authentication: bind it to an address only scrapers reach.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    void answer(options, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
      }),
  };
}

async function answer(
  { metrics, onError }: MetricsServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' || path !== '/metrics') {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  try {
    const text = await metrics.text();
    response.writeHead(200, { 'content-type': metrics.contentType }).end(text);
  } catch (error) {
    onError?.(error);
    response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics unavailable\n');
  }
}
