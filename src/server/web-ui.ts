import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build:web` puts the UI: dist/web under the package root, from src/server and dist/server alike. */
export const defaultWebRoot = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

async function readAssets(root: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const path = `/${relative(root, file).split(sep).join('/')}`;
    assets.set(path, {
      body: await readFile(file),
      type: contentTypes[extname(file)] ?? 'application/octet-stream',
    });
  }
  return assets;
}

const notBuilt = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>defender-hub</title></head><body>
<h1>The web UI is not built</h1><p>Run <code>npm run build:web</code> (or <code>npm ci</code>, which builds it) and restart the hub. The API answers under <a href="/api/openapi.json">/api/v1</a>.</p></body></html>`;

/** Answers a GET outside /api with the web UI. */
export type WebUiHandler = (request: FastifyRequest, reply: FastifyReply) => FastifyReply;

/**
 * The web UI's static build, held in memory (a few hundred kB): hashed assets cached for good, every other path
 * answered with index.html so deep links (/endpoints/42/risk/defender) load the app, which routes. It answers the
 * requests no route matched (so API routing, and its refusals, stay as they are); a missing build answers 503
 * with how to build it.
 */
export async function webUiHandler(root = defaultWebRoot): Promise<WebUiHandler> {
  const assets = existsSync(join(root, 'index.html')) ? await readAssets(root) : new Map<string, Asset>();
  const index = assets.get('/index.html');
  return (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (index === undefined) return reply.code(503).type('text/html; charset=utf-8').send(notBuilt);
    const asset = assets.get(path);
    if (asset !== undefined && path !== '/index.html')
      return reply
        .type(asset.type)
        .header(
          'cache-control',
          path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        )
        .send(asset.body);
    return reply.type(index.type).header('cache-control', 'no-cache').send(index.body);
  };
}
