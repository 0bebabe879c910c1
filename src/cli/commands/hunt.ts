import { Argument, Command, Option } from 'commander';
import type { Hub } from '../../app/hub.js';
import type { HuntingResult } from '../../defender/index.js';
import { chunked } from '../../export/formats.js';
import { writeExport } from '../../export/write.js';
import { cellText, encodeHuntingRows } from '../../hunting/result-encoding.js';
import type { SavedHuntingQuery } from '../../store/index.js';
import { withHub } from '../hub-session.js';
import { keyValues, printJson, printLines, table } from '../output.js';

interface HuntFlags {
  integration?: string;
  saved?: string;
  format: 'table' | 'csv' | 'json';
  timespan?: string;
}

interface JsonFlag {
  json?: true;
}

const timespanHelp = 'P7D, start/end, … (the service default is the last 30 days)';

function tableLines(result: HuntingResult): string[] {
  const names = result.schema.map((c) => c.name);
  return [
    ...table(
      names,
      result.results.map((row) => names.map((n) => cellText(row[n]))),
    ),
    `${result.results.length} rows (${result.source === 'graph' ? 'Graph runHuntingQuery' : 'MDE advanced queries'})`,
  ];
}

async function printResult(result: HuntingResult, format: HuntFlags['format']): Promise<void> {
  if (format === 'json') printJson(result);
  else if (format === 'csv')
    await writeExport(chunked(encodeHuntingRows('csv', result.schema, result.results)), undefined);
  else printLines(tableLines(result));
}

/** The run the flags ask for: the query argument, or a saved query whose timespan `--timespan` overrides. */
async function runInput(hub: Hub, integration: string, query: string | undefined, flags: HuntFlags) {
  if (flags.saved === undefined) return { integration, query, timespan: flags.timespan };
  const saved = await hub.hunting.saved.find(flags.saved);
  return { integration, query: saved.query, timespan: flags.timespan ?? saved.timespan ?? undefined };
}

/** A saved query's KQL on one line, cut to fit a table. */
function queryPreview(query: string): string {
  const line = query.replace(/\s*\n\s*/g, ' ');
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function savedLines(heading: string, q: SavedHuntingQuery): string[] {
  return [
    `${heading} "${q.name}" (${q.id})`,
    ...keyValues([
      ['query', queryPreview(q.query)],
      ['timespan', q.timespan ?? '-'],
      ['description', q.description ?? '-'],
    ]),
  ];
}

function saveCommand(): Command {
  return new Command('save')
    .description('Save a hunting query under a unique name, to run with `defender-hub hunt --saved NAME`')
    .addArgument(new Argument('<query>', 'the KQL'))
    .requiredOption('--name <name>', 'a unique name')
    .option('--timespan <iso8601>', timespanHelp)
    .option('--description <text>', 'what the query looks for')
    .option('--json', 'print the saved query as JSON')
    .action((query: string, flags: { name: string; timespan?: string; description?: string } & JsonFlag) =>
      withHub(async (hub) => {
        const saved = await hub.hunting.saved.create({
          name: flags.name,
          query,
          ...(flags.timespan === undefined ? {} : { timespan: flags.timespan }),
          ...(flags.description === undefined ? {} : { description: flags.description }),
        });
        if (flags.json === true) printJson(saved);
        else printLines(savedLines('Saved hunting query', saved));
      }),
    );
}

function listCommand(): Command {
  return new Command('list')
    .description('List the saved hunting queries')
    .option('--json', 'print a JSON array')
    .action((flags: JsonFlag) =>
      withHub(async (hub) => {
        const queries = await hub.hunting.saved.list();
        if (flags.json === true) printJson(queries);
        else if (queries.length === 0)
          printLines(['No saved hunting queries yet: add one with `defender-hub hunt save`.']);
        else
          printLines(
            table(
              ['ID', 'NAME', 'TIMESPAN', 'QUERY'],
              queries.map((q) => [String(q.id), q.name, q.timespan ?? '-', queryPreview(q.query)]),
            ),
          );
      }),
    );
}

function removeCommand(): Command {
  return new Command('remove')
    .description('Remove a saved hunting query')
    .addArgument(new Argument('<name|id>', 'the saved query (see `defender-hub hunt list`)'))
    .action((ref: string) =>
      withHub(async (hub) => {
        const saved = await hub.hunting.saved.find(ref);
        await hub.hunting.saved.remove(saved.id);
        printLines([`Removed saved hunting query "${saved.name}" (${saved.id}).`]);
      }),
    );
}

export function huntCommand(): Command {
  return (
    new Command('hunt')
      .description(
        'Run an advanced hunting query (KQL) through an integration and print the rows; save, list and remove named queries',
      )
      .addArgument(
        new Argument('[query]', 'the KQL, e.g. "DeviceInfo | summarize count() by OSPlatform" (or --saved)'),
      )
      .option('--integration <id|name>', 'the integration whose tenant to query (needed to run a query)')
      .option('--saved <name|id>', 'run this saved query instead of a query argument')
      .addOption(
        new Option(
          '--format <format>',
          'table (with the row count), csv (RFC 4180) or json ({schema, results, source})',
        )
          .choices(['table', 'csv', 'json'])
          .default('table'),
      )
      .option('--timespan <iso8601>', `${timespanHelp}; overrides a saved query's own`)
      // `hunt save --timespan …` must reach `save`, not be taken as this command's own --timespan.
      .enablePositionalOptions()
      .action(async function (this: Command, query: string | undefined, flags: HuntFlags) {
        if (flags.integration === undefined) this.error('--integration is required to run a query.');
        if ((query === undefined) === (flags.saved === undefined))
          this.error('give either a query or --saved NAME, not both or neither.');
        const integration = flags.integration;
        await withHub(async (hub) => {
          const result = await hub.hunting.run(await runInput(hub, integration, query, flags));
          await printResult(result, flags.format);
        });
      })
      .addCommand(saveCommand())
      .addCommand(listCommand())
      .addCommand(removeCommand())
  );
}
