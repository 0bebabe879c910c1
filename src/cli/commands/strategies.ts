import { Argument, Command, InvalidArgumentError } from 'commander';
import type { Hub } from '../../app/hub.js';
import {
  describeStrategyFields,
  STRATEGY_EXPRESSION_ERROR_CODE,
  type StrategyExpressionProblem,
  type StrategyFieldDescription,
} from '../../domain/strategy/index.js';
import { InvalidInputError } from '../../errors.js';
import { checkStrategy } from '../../strategies/strategy-service.js';
import { withHub } from '../hub-session.js';
import { keyValues, printJson, printLines, table } from '../output.js';
import { wholeNumber } from '../options.js';
import type { Page, Strategy, StrategyMatch } from '../../store/index.js';

interface JsonFlag {
  json?: true;
}

const example = 'Defender.SeverityLevel in ("Critical","High") and Defender.KnownExploitExists = true';

function fieldType(field: StrategyFieldDescription): string {
  const type = field.levels === undefined ? field.type : `level ${field.levels.join(' < ')}`;
  return field.multiValued ? `${type}, several per endpoint` : type;
}

/** The language in a screenful, from the same catalogue the parser checks against, so it cannot drift. */
function languageHelp(): string {
  const fields = describeStrategyFields();
  const width = Math.max(...fields.map((f) => f.name.length));
  return [
    '',
    'Strategy expressions select patches, checked per patch and endpoint:',
    '  FIELD OPERATOR VALUE, combined with and, or, not and ( ).',
    '  Operators: = != < <= > >= (numbers and levels), in (V1, V2, ...), not in (...),',
    '  contains "text" (strings). Strings compare ignoring case.',
    '  Values: "text" or \'text\', numbers like 7.5, true, false.',
    '  Example:',
    `    ${example}`,
    '',
    'Fields:',
    ...fields.map((f) => `  ${f.name.padEnd(width)}  ${f.scope.padEnd(8)}  ${fieldType(f)}`),
  ].join('\n');
}

/** A strategy subcommand: every one carries the language help, since each takes or shows an expression. */
function strategyCommand(name: string, description: string): Command {
  return new Command(name).description(description).addHelpText('after', languageHelp());
}

/** Commander parser for a record id; wholeNumber's message would quote Number.MAX_SAFE_INTEGER at a person. */
export function recordId(value: string): number {
  const id = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(id) || id < 1)
    throw new InvalidArgumentError(`expected an id: a whole number from 1, got "${value}".`);
  return id;
}

const idArgument = (): Argument =>
  new Argument('<id>', 'the strategy id (see `defender-hub strategies list`)').argParser(recordId);

function strategyLines(heading: string, s: Strategy): string[] {
  return [
    `${heading} "${s.name}" (${s.id})`,
    ...keyValues([
      ['expression', s.expression],
      ['description', s.description ?? '-'],
      ['created', s.createdAt],
      ['updated', s.updatedAt],
    ]),
  ];
}

function listCommand(): Command {
  return strategyCommand('list', 'List the saved patch strategies')
    .option('--json', 'print a JSON array')
    .action((flags: JsonFlag) =>
      withHub(async (hub) => {
        const strategies = await hub.strategies.list();
        if (flags.json === true) printJson(strategies);
        else if (strategies.length === 0)
          printLines(['No patch strategies yet: add one with `defender-hub strategies add`.']);
        else
          printLines(
            table(
              ['ID', 'NAME', 'EXPRESSION'],
              strategies.map((s) => [String(s.id), s.name, s.expression]),
            ),
          );
      }),
    );
}

function addCommand(): Command {
  return strategyCommand(
    'add',
    'Save a patch strategy; its expression is checked and stored in canonical form',
  )
    .requiredOption('--name <name>', 'a unique name')
    .requiredOption('--expression <text>', 'the filter expression (see below)')
    .option('--description <text>', 'what the strategy is for')
    .option('--json', 'print the saved strategy as JSON')
    .action((flags: { name: string; expression: string; description?: string } & JsonFlag) =>
      withHub(async (hub) => {
        const strategy = await hub.strategies.create({
          name: flags.name,
          expression: flags.expression,
          ...(flags.description === undefined ? {} : { description: flags.description }),
        });
        if (flags.json === true) printJson(strategy);
        else printLines(strategyLines('Saved patch strategy', strategy));
      }),
    );
}

function showCommand(): Command {
  return strategyCommand('show', 'Show one patch strategy')
    .addArgument(idArgument())
    .option('--json', 'print JSON')
    .action((id: number, flags: JsonFlag) =>
      withHub(async (hub) => {
        const strategy = await hub.strategies.get(id);
        if (flags.json === true) printJson(strategy);
        else printLines(strategyLines('Patch strategy', strategy));
      }),
    );
}

// Past this width the offending line is cut to a window around the column, so the caret stays on screen.
const maxShownLine = 100;
const shownBefore = 40;

/** The source line that holds the problem, and a caret under its column; tabs kept so the caret lines up. */
function caretLines(source: string, problem: Pick<StrategyExpressionProblem, 'line' | 'column'>): string[] {
  const text = source.split(/\r\n|\r|\n/)[problem.line - 1] ?? '';
  let offset = Math.max(0, problem.column - 1);
  let shown = text;
  if (text.length > maxShownLine) {
    const start = Math.max(0, offset - shownBefore);
    const end = Math.min(text.length, start + maxShownLine);
    shown = `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
    offset = offset - start + (start > 0 ? 1 : 0);
  }
  const pad = shown.slice(0, offset).replace(/[^\t]/g, ' ');
  return [`  ${shown}`, `  ${pad}${' '.repeat(Math.max(0, offset - pad.length))}^`];
}

function validateCommand(): Command {
  return strategyCommand(
    'validate',
    'Check an expression without saving it: prints its canonical form, or where and why it is refused (exit 1)',
  )
    .argument('<expression>', 'the filter expression (quote it for the shell)')
    .option('--json', 'print the check as JSON: {ok, expression} or {ok: false, error: {line, column, ...}}')
    .action((source: string, flags: JsonFlag) => {
      const result = checkStrategy(source);
      if (flags.json === true) printJson(result);
      else if (result.ok) printLines([`ok: ${result.expression}`]);
      else printLines([result.error.message, ...caretLines(source, result.error)]);
      if (result.ok) return;
      // The report is on stdout; the one stderr line and exit 1 tell a script it failed, as every command does.
      throw new InvalidInputError(
        STRATEGY_EXPRESSION_ERROR_CODE,
        `Not a valid strategy expression (line ${result.error.line}, column ${result.error.column}).`,
      );
    });
}

interface MatchesFlags extends JsonFlag {
  page: number;
  pageSize: number;
  endpointLimit: number;
  integration?: string;
}

function patches(n: number): string {
  return `${n} ${n === 1 ? 'patch' : 'patches'}`;
}

function software(match: StrategyMatch): string {
  const parts = [match.softwareVendor, match.softwareName].filter((p): p is string => p !== null);
  return parts.length === 0 ? '-' : parts.join('/');
}

function endpointLines(match: StrategyMatch): string[] {
  const names = match.endpoints.map((e) => `    ${e.computerDnsName ?? e.machineId}`);
  const more = match.matchedEndpoints - match.endpoints.length;
  return more > 0 && names.length > 0 ? [...names, `    … and ${more} more`] : names;
}

/** One table row per patch, each followed by its first endpoints, indented under it. */
function matchesLines(strategy: Strategy, page: Page<StrategyMatch>): string[] {
  if (page.total === 0) return [`Strategy "${strategy.name}" (${strategy.id}) matches no patches.`];
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const heading = `Strategy "${strategy.name}" (${strategy.id}) matches ${patches(page.total)}; page ${page.page} of ${pages}.`;
  if (page.items.length === 0) return [heading];
  const [header = '', ...rows] = table(
    ['SEVERITY', 'PATCH', 'SOFTWARE', 'ENDPOINTS', 'CVES'],
    page.items.map((m) => [
      m.metadata['Defender.SeverityLevel'] ?? '-',
      m.name,
      software(m),
      String(m.matchedEndpoints),
      String(m.cveCount),
    ]),
  );
  return [
    heading,
    header,
    ...rows.flatMap((row, i) => {
      const match = page.items[i];
      return match === undefined ? [row] : [row, ...endpointLines(match)];
    }),
  ];
}

async function integrationId(hub: Hub, idOrName: string | undefined): Promise<string | undefined> {
  return idOrName === undefined ? undefined : (await hub.integrations.get(idOrName)).id;
}

function matchesCommand(): Command {
  return strategyCommand(
    'matches',
    'The patches a strategy selects, most severe and widest first, with the endpoints it selects them on',
  )
    .addArgument(idArgument())
    .option('--page <n>', 'page number, from 1', wholeNumber(1), 1)
    .option('--page-size <n>', 'patches per page (1–500)', wholeNumber(1, 500), 50)
    .option('--endpoint-limit <n>', 'endpoints listed per patch (0–1000)', wholeNumber(0, 1000), 5)
    .option('--integration <id|name>', 'only patches of this integration')
    .option('--json', 'print the page as JSON: {items, total, page, pageSize}')
    .action((id: number, flags: MatchesFlags) =>
      withHub(async (hub) => {
        const strategy = await hub.strategies.get(id);
        const page = await hub.strategies.matches(id, {
          page: flags.page,
          pageSize: flags.pageSize,
          endpointLimit: flags.endpointLimit,
          integrationId: await integrationId(hub, flags.integration),
        });
        if (flags.json === true) printJson(page);
        else printLines(matchesLines(strategy, page));
      }),
    );
}

function removeCommand(): Command {
  return strategyCommand('remove', 'Remove a patch strategy (the patches and endpoints stay)')
    .addArgument(idArgument())
    .action((id: number) =>
      withHub(async (hub) => {
        const strategy = await hub.strategies.get(id);
        await hub.strategies.remove(id);
        printLines([`Removed patch strategy "${strategy.name}" (${strategy.id}).`]);
      }),
    );
}

export function strategiesCommand(): Command {
  return strategyCommand(
    'strategies',
    'Patch strategies: saved filter expressions that select patches: list, add, show, validate, matches, remove',
  )
    .addCommand(listCommand())
    .addCommand(addCommand())
    .addCommand(showCommand())
    .addCommand(validateCommand())
    .addCommand(matchesCommand())
    .addCommand(removeCommand());
}
