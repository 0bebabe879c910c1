import { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { printLines } from '../output.js';
import { createStore } from '../../store/index.js';

/** Schema changes on their own, e.g. before starting new versions of several processes against PostgreSQL. */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('Bring the database (DATABASE_URL) to the latest schema and print what was applied')
    .action(async () => {
      const data = await createStore(loadConfig(process.env).databaseUrl);
      try {
        const applied = data.migrationsApplied;
        printLines(
          applied.length === 0
            ? [`${data.location} is up to date: nothing to apply.`]
            : applied.map((name) => `Applied ${name} to ${data.location}.`),
        );
      } finally {
        await data.close();
      }
    });
}
