import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { rotateSecretKey, type KeyRotationResult } from '../../secrets/key-rotation.js';
import { SecretError, SecretErrorCode } from '../../secrets/secret-box.js';
import { printLines } from '../output.js';
import { recordCommand } from '../cli-audit.js';
import { createStore } from '../../store/index.js';

interface RotateFlags {
  newKeyFile?: string;
}

interface NewKey {
  readonly text: string;
  readonly source: string;
  /** How the person names this value when told what to set HUB_SECRET_KEY to. */
  readonly described: string;
}

/** The new key from --new-key-file or HUB_NEW_SECRET_KEY; never both, so it is never unclear which was used. */
function newKeyOf(flags: RotateFlags, env: NodeJS.ProcessEnv): NewKey | undefined {
  const fromEnv = env.HUB_NEW_SECRET_KEY?.trim();
  const envSet = fromEnv !== undefined && fromEnv !== '';
  if (flags.newKeyFile !== undefined && envSet) {
    throw new SecretError(
      SecretErrorCode.NewKeyAmbiguous,
      'Both --new-key-file and HUB_NEW_SECRET_KEY give a new key: give only one.',
    );
  }
  if (flags.newKeyFile !== undefined) {
    const file = flags.newKeyFile;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new SecretError(
        SecretErrorCode.KeyFileUnreadable,
        `Cannot read --new-key-file ${file} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`,
        { cause: error },
      );
    }
    return { text, source: `--new-key-file ${file}`, described: `the contents of ${file}` };
  }
  if (envSet)
    return { text: fromEnv, source: 'HUB_NEW_SECRET_KEY', described: 'the value of HUB_NEW_SECRET_KEY' };
  return undefined;
}

/** What to tell the person: what was done, and the one thing left to do. Never a key, only key ids. */
function reportLines(result: KeyRotationResult, newKey: NewKey | undefined, location: string): string[] {
  const done = `Re-sealed ${result.resealed} credential${result.resealed === 1 ? '' : 's'} in ${location} with key ${result.keyId} (was ${result.previousKeyId})`;
  if (result.keyFile !== undefined) {
    return [
      `${result.resumed ? 'Finished the rotation that had stopped part-way: ' : ''}${done}.`,
      `${result.keyFile} holds the new key (mode 0600); the old key is gone. Restart serve and worker processes so they load it.`,
    ];
  }
  return [
    `${done}.`,
    `Now set HUB_SECRET_KEY to ${newKey?.described ?? 'the new key'} (key ${result.keyId}) for every hub process (serve, worker, the CLI)${newKey?.source === 'HUB_NEW_SECRET_KEY' ? ', remove HUB_NEW_SECRET_KEY' : ''} and restart serve and worker: the old key opens none of the credentials any more.`,
  ];
}

export function secretsCommand(): Command {
  return new Command('secrets').description('The key that encrypts stored credentials').addCommand(
    new Command('rotate-key')
      .description(
        'Re-seal every stored credential with a new key in one transaction (stop serve and worker first). ' +
          'With the key file, a new random key replaces it; with HUB_SECRET_KEY, give the new key with ' +
          '--new-key-file or HUB_NEW_SECRET_KEY. Stopped part-way, nothing is lost: run it again to finish.',
      )
      .option('--new-key-file <file>', 'the new key (base64 or hex of 32+ bytes), instead of a random one')
      .action(async (flags: RotateFlags) => {
        const config = loadConfig(process.env);
        const newKey = newKeyOf(flags, process.env);
        const data = await createStore(config.databaseUrl);
        try {
          const result = await rotateSecretKey({
            sealed: data.sealedSecrets,
            keys: { secretKey: config.secretKey, dataDir: config.dataDir },
            newKey,
          });
          await recordCommand(data.auditLog, undefined);
          printLines(reportLines(result, newKey, data.location));
        } finally {
          await data.close();
        }
      }),
  );
}
