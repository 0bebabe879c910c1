import { Argument, Command, Option } from 'commander';
import type { HuntingResult } from '../../defender/index.js';
import { csvField } from '../../export/formats.js';
import { withHub } from '../hub-session.js';
import { printJson, printLines, table } from '../output.js';

interface HuntFlags {
  integration: string;
  format: 'table' | 'csv' | 'json';
  timespan?: string;
}

/** A cell as text: objects and arrays (dynamic columns) as their JSON. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function csvLines(result: HuntingResult): string[] {
  const names = result.schema.map((c) => c.name);
  return [
    names.map(csvField).join(','),
    ...result.results.map((row) => names.map((n) => csvField(cell(row[n]))).join(',')),
  ];
}

export function huntCommand(): Command {
  return new Command('hunt')
    .description('Run an advanced hunting query (KQL) through an integration and print the rows')
    .addArgument(new Argument('<query>', 'the KQL, e.g. "DeviceInfo | summarize count() by OSPlatform"'))
    .requiredOption('--integration <id|name>', 'the integration whose tenant to query')
    .addOption(
      new Option(
        '--format <format>',
        'table (with the row count), csv (RFC 4180) or json ({schema, results, source})',
      )
        .choices(['table', 'csv', 'json'])
        .default('table'),
    )
    .option('--timespan <iso8601>', 'P7D, start/end, … (the service default is the last 30 days)')
    .action((query: string, flags: HuntFlags) =>
      withHub(async (hub) => {
        const result = await hub.hunting.run({
          integration: flags.integration,
          query,
          ...(flags.timespan === undefined ? {} : { timespan: flags.timespan }),
        });
        if (flags.format === 'json') printJson(result);
        else if (flags.format === 'csv') printLines(csvLines(result));
        else printLines(tableLines(result));
      }),
    );
}

function tableLines(result: HuntingResult): string[] {
  const names = result.schema.map((c) => c.name);
  return [
    ...table(
      names,
      result.results.map((row) => names.map((n) => cell(row[n]))),
    ),
    `${result.results.length} rows (${result.source === 'graph' ? 'Graph runHuntingQuery' : 'MDE advanced queries'})`,
  ];
}
