import { createInterface } from 'node:readline/promises';
import { HubError } from '../errors.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** A line typed with echo off, so a secret never shows on screen or in a terminal's scroll-back. */
function readHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  let value = '';
  return new Promise((resolve, reject) => {
    const done = (error?: HubError): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const onData = (text: string): void => {
      for (const c of text) {
        if (c === '\r' || c === '\n') {
          done();
          return;
        }
        if (c === '\u0003') {
          done(new HubError('CANCELLED', 'Cancelled.'));
          return;
        }
        if (c === '\u007f' || c === '\b') value = value.slice(0, -1);
        else value += c;
      }
    };
    stdin.on('data', onData);
  });
}

/** The secret from stdin: piped by a script, or typed (hidden) by a person. Trailing line breaks are dropped. */
export async function readSecret(what: string): Promise<string> {
  const text = process.stdin.isTTY
    ? await readHidden(`${what} (input hidden): `)
    : await readAll(process.stdin);
  return text.replace(/[\r\n]+$/, '');
}

/** A yes/no question on the terminal; the caller makes sure there is one. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
