import type { IncomingMessage } from 'node:http';

const LIMIT_BYTES = 1024 * 1024;

/** Reads a small request body (forms, control requests); larger bodies are cut off rather than buffered. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > LIMIT_BYTES) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
