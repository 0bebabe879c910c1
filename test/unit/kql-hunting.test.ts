import { describe, expect, it } from 'vitest';
import { CpuBudget } from '../../src/simulator/hunting/cpu-budget.js';
import { KqlError } from '../../src/simulator/hunting/kql-error.js';
import { runKql, type HuntingTable, type TimeWindow } from '../../src/simulator/hunting/kql-evaluator.js';
import { parseKql } from '../../src/simulator/hunting/kql-parser.js';
import type { Column, Row } from '../../src/simulator/hunting/kql-values.js';
import { parseDuration, parseTimespan } from '../../src/simulator/hunting/timespan.js';
import { parseIsoTicks, TICKS_PER_DAY, TICKS_PER_HOUR } from '../../src/simulator/time.js';

const NOW = parseIsoTicks('2026-11-20T12:00:00Z') ?? 0;
const day = (n: number): number => NOW - n * TICKS_PER_DAY;

const COLUMNS: readonly Column[] = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'DeviceName', type: 'string' },
  { name: 'OSPlatform', type: 'string' },
  { name: 'OSBuild', type: 'long' },
  { name: 'IsAzureADJoined', type: 'bool' },
  { name: 'Tags', type: 'dynamic' },
];

const ROWS: readonly Row[] = [
  [day(1), 'desktop-a.corp.contoso.com', 'Windows11', 22631, true, ['VIP']],
  [day(2), 'desktop-b', 'Windows11', 22621, false, []],
  [day(3), 'srv-sql-0001', 'WindowsServer2022', 20348, null, ['Production', 'PCI']],
  [day(10), 'ubuntu-web-0002', 'Ubuntu', null, false, []],
  [day(40), 'annas-macbook-pro-x1', 'macOS', null, true, []],
  [day(5), '', 'Windows10', 19045, true, ['Finance']],
];

/** A table that hands out rows two at a time and counts how many batches were pulled. */
function devices(rows: readonly Row[] = ROWS): HuntingTable & { pulled: number } {
  const table = {
    name: 'DeviceInfo',
    columns: COLUMNS,
    timestampColumn: 'Timestamp',
    pulled: 0,
    *batches() {
      for (let at = 0; at < rows.length; at += 2) {
        table.pulled++;
        yield rows.slice(at, at + 2);
      }
    },
  };
  return table;
}

async function query(
  text: string,
  options: { table?: HuntingTable; window?: TimeWindow } = {},
): Promise<{ columns: string[]; rows: unknown[][]; scanned: number }> {
  const table = options.table ?? devices();
  const run = runKql(text, { tables: new Map([[table.name, table]]), now: NOW, window: options.window });
  const rows: unknown[][] = [];
  for await (const batch of run.batches) for (const row of batch) rows.push([...row]);
  return { columns: run.columns.map((c) => `${c.name}:${c.type}`), rows, scanned: run.scanned() };
}

async function names(text: string): Promise<string[]> {
  const { rows } = await query(`${text} | project DeviceName`);
  return rows.map((r) => String(r[0]));
}

function refusal(text: string): KqlError {
  try {
    runKql(text, { tables: new Map([['DeviceInfo', devices()]]), now: NOW, window: undefined });
  } catch (error) {
    if (error instanceof KqlError) return error;
    throw error;
  }
  throw new Error(`expected '${text}' to be refused`);
}

describe('KQL parser', () => {
  it('should read a table and a pipeline of operators', () => {
    const ast = parseKql(
      'DeviceInfo\n| where OSPlatform == "Windows11" // comment\n| summarize n = count() by OSPlatform | top 3 by n',
    );
    expect(ast.table).toBe('DeviceInfo');
    expect(ast.stages.map((s) => s.kind)).toEqual(['where', 'summarize', 'top']);
    expect(ast.stages[1]).toMatchObject({
      aggregates: [{ name: 'n', fn: 'count' }],
      by: [{ name: 'OSPlatform' }],
    });
    expect(ast.stages[2]).toMatchObject({ count: 3, key: { descending: true } });
  });

  it('should read datetime, timespan, verbatim and escaped string literals', () => {
    const ast = parseKql(
      `T | where a > datetime(2026-01-01) and b < ago(7d) and c == @"C:\\x" and d == 'it\\'s' and e == 90m`,
    );
    const where = ast.stages[0];
    const text = JSON.stringify(where);
    expect(text).toContain(String(parseIsoTicks('2026-01-01T00:00:00Z')));
    expect(text).toContain(String(7 * TICKS_PER_DAY));
    expect(text).toContain('"value":"C:\\\\x"');
    expect(text).toContain(`"value":"it's"`);
    expect(text).toContain(String(1.5 * TICKS_PER_HOUR));
  });

  it('should point at the token it could not parse, with line and column', () => {
    const error = refusal('DeviceInfo\n| summarise count()');
    expect(error.kind).toBe('syntax');
    expect(error.position).toMatchObject({ line: 2, column: 3 });
    expect(error.message).toMatch(/^Query could not be parsed at 'summarise' on line \[2,3\]/);
    expect(refusal('DeviceInfo | where OSPlatform == "open').message).toMatch(/not closed/);
    expect(refusal('DeviceInfo | where (OSPlatform == "x"').message).toMatch(/Expected '\)'/);
    expect(refusal('DeviceInfo | take').message).toMatch(/end of query/);
    expect(refusal('DeviceInfo | where Timestamp > datetime(yesterday)').message).toMatch(/not a date/);
  });

  it('should name real KQL it does not implement as unsupported, with the position', () => {
    const join = refusal('DeviceInfo | join (DeviceInfo) on DeviceName');
    expect(join.kind).toBe('unsupported');
    expect(join.message).toMatch(/does not support the 'join' operator on line \[1,14\]/);
    expect(refusal('DeviceInfo | project-away OSBuild').message).toMatch(/'project-away' operator/);
    expect(refusal('let x = 1; DeviceInfo').message).toMatch(/'let' statements on line \[1,1\]/);
    expect(refusal('DeviceInfo | summarize avg(OSBuild)').message).toMatch(
      /aggregation 'avg\(\)' .* on line \[1,24\]/,
    );
    expect(refusal('DeviceInfo | where isnotempty(bin(Timestamp, 1d))').message).toMatch(
      /function 'bin\(\)' on line \[1,31\]/,
    );
    expect(refusal('DeviceInfo | where OSPlatform matches regex "W.*"').message).toMatch(
      /operator 'matches'/,
    );
  });

  it('should refuse unknown tables and columns by name and position', () => {
    const table = refusal('DeviceEvents | take 1');
    expect(table.kind).toBe('semantic');
    expect(table.message).toMatch(/Failed to resolve table expression named 'DeviceEvents' on line \[1,1\]/);
    const column = refusal('DeviceInfo | where OSPlatform == "x" or HealthStatus == "Active"');
    expect(column.message).toMatch(
      /'where' operator: Failed to resolve scalar expression named 'HealthStatus' on line \[1,41\]/,
    );
    expect(refusal('DeviceInfo | project DeviceName | where OSPlatform == "x"').message).toMatch(
      /'OSPlatform'/,
    );
    expect(refusal('DeviceInfo | where OSBuild == "22631"').message).toMatch(/types long and string/);
    expect(refusal('DeviceInfo | where OSPlatform').message).toMatch(/must be a boolean/);
  });
});

describe('KQL evaluator', () => {
  it('should filter with comparisons, string operators and lists', async () => {
    expect(await names('DeviceInfo | where OSPlatform == "Windows11"')).toEqual([
      'desktop-a.corp.contoso.com',
      'desktop-b',
    ]);
    expect(await names('DeviceInfo | where OSPlatform == "windows11"')).toEqual([]);
    expect(await names('DeviceInfo | where OSPlatform =~ "windows11"')).toHaveLength(2);
    expect(await names('DeviceInfo | where OSPlatform !~ "windows11"')).toHaveLength(4);
    expect(await names('DeviceInfo | where OSPlatform != "Windows11"')).toHaveLength(4);
    expect(await names('DeviceInfo | where OSBuild >= 22621')).toEqual([
      'desktop-a.corp.contoso.com',
      'desktop-b',
    ]);
    expect(await names('DeviceInfo | where OSBuild > 22621')).toEqual(['desktop-a.corp.contoso.com']);
    expect(await names('DeviceInfo | where OSBuild < 20348')).toEqual(['']);
    expect(await names('DeviceInfo | where OSBuild <= 20348')).toEqual(['srv-sql-0001', '']);
    expect(await names('DeviceInfo | where DeviceName contains "CORP"')).toEqual([
      'desktop-a.corp.contoso.com',
    ]);
    expect(await names('DeviceInfo | where DeviceName contains_cs "CORP"')).toEqual([]);
    expect(await names('DeviceInfo | where DeviceName has "corp"')).toEqual(['desktop-a.corp.contoso.com']);
    expect(await names('DeviceInfo | where DeviceName has "cor"')).toEqual([]);
    expect(await names('DeviceInfo | where DeviceName !has "corp"')).toHaveLength(5);
    expect(await names('DeviceInfo | where DeviceName startswith "SRV-"')).toEqual(['srv-sql-0001']);
    expect(await names('DeviceInfo | where DeviceName endswith "0002"')).toEqual(['ubuntu-web-0002']);
    expect(await names('DeviceInfo | where OSPlatform in ("Ubuntu", "macOS")')).toEqual([
      'ubuntu-web-0002',
      'annas-macbook-pro-x1',
    ]);
    expect(await names('DeviceInfo | where OSPlatform in ("ubuntu")')).toEqual([]);
    expect(await names('DeviceInfo | where OSPlatform in~ ("ubuntu")')).toEqual(['ubuntu-web-0002']);
    expect(await names('DeviceInfo | where OSPlatform !in ("Windows11", "Windows10", "macOS")')).toEqual([
      'srv-sql-0001',
      'ubuntu-web-0002',
    ]);
    expect(await names('DeviceInfo | where Tags has "PCI"')).toEqual(['srv-sql-0001']);
    expect(await names('DeviceInfo | where IsAzureADJoined == true')).toHaveLength(3);
  });

  it('should combine conditions with and, or, not() and parentheses, nulls never matching', async () => {
    expect(
      await names('DeviceInfo | where (OSPlatform == "Ubuntu" or OSPlatform == "macOS") and IsAzureADJoined'),
    ).toEqual(['annas-macbook-pro-x1']);
    expect(
      await names('DeviceInfo | where OSPlatform == "Ubuntu" or OSPlatform == "macOS" and IsAzureADJoined'),
    ).toEqual(['ubuntu-web-0002', 'annas-macbook-pro-x1']);
    expect(await names('DeviceInfo | where not(OSPlatform startswith "win")')).toEqual([
      'ubuntu-web-0002',
      'annas-macbook-pro-x1',
    ]);
    // A null build is neither equal nor unequal to anything.
    expect(await names('DeviceInfo | where OSBuild != 1')).toHaveLength(4);
    expect(await names('DeviceInfo | where isnull(OSBuild)')).toHaveLength(2);
    expect(await names('DeviceInfo | where isempty(DeviceName)')).toEqual(['']);
    expect(await names('DeviceInfo | where tolower(OSPlatform) == "macos"')).toEqual([
      'annas-macbook-pro-x1',
    ]);
  });

  it('should compare datetimes with datetime(), ago() and now()', async () => {
    expect(await names('DeviceInfo | where Timestamp > ago(2d) + 1h')).toEqual([
      'desktop-a.corp.contoso.com',
    ]);
    expect(await names('DeviceInfo | where Timestamp >= ago(3d)')).toHaveLength(3);
    expect(await names('DeviceInfo | where Timestamp < datetime(2026-10-15)')).toEqual([
      'annas-macbook-pro-x1',
    ]);
    expect(await names('DeviceInfo | where now() - Timestamp > 7d')).toEqual([
      'ubuntu-web-0002',
      'annas-macbook-pro-x1',
    ]);
  });

  it('should apply the time window to the timestamp column', async () => {
    const { rows } = await query('DeviceInfo | count', { window: { from: day(7), to: NOW } });
    expect(rows).toEqual([[4]]);
  });

  it('should project, rename and keep the column types', async () => {
    const { columns, rows } = await query('DeviceInfo | project Name = DeviceName, OSBuild | take 2');
    expect(columns).toEqual(['Name:string', 'OSBuild:long']);
    expect(rows).toEqual([
      ['desktop-a.corp.contoso.com', 22631],
      ['desktop-b', 22621],
    ]);
  });

  it('should summarize count() by one or more columns, group columns first', async () => {
    const byPlatform = await query('DeviceInfo | summarize count() by OSPlatform');
    expect(byPlatform.columns).toEqual(['OSPlatform:string', 'count_:long']);
    expect(Object.fromEntries(byPlatform.rows)).toEqual({
      Windows11: 2,
      WindowsServer2022: 1,
      Ubuntu: 1,
      macOS: 1,
      Windows10: 1,
    });
    const two = await query(
      'DeviceInfo | summarize n = count() by OSPlatform, IsAzureADJoined | where OSPlatform == "Windows11"',
    );
    expect(two.columns).toEqual(['OSPlatform:string', 'IsAzureADJoined:bool', 'n:long']);
    expect(two.rows).toEqual([
      ['Windows11', true, 1],
      ['Windows11', false, 1],
    ]);
    const aggregates = await query(
      'DeviceInfo | summarize count(), dcount(OSPlatform), min(OSBuild), max(Timestamp), sum(OSBuild)',
    );
    expect(aggregates.columns).toEqual([
      'count_:long',
      'dcount_OSPlatform:long',
      'min_OSBuild:long',
      'max_Timestamp:datetime',
      'sum_OSBuild:long',
    ]);
    expect(aggregates.rows).toEqual([[6, 5, 19045, day(1), 22631 + 22621 + 20348 + 19045]]);
    expect((await query('DeviceInfo | where OSPlatform == "none" | summarize count()')).rows).toEqual([[0]]);
  });

  it('should order, take the top rows and count', async () => {
    expect(await names('DeviceInfo | order by OSBuild asc')).toEqual([
      'ubuntu-web-0002',
      'annas-macbook-pro-x1',
      '',
      'srv-sql-0001',
      'desktop-b',
      'desktop-a.corp.contoso.com',
    ]);
    // Descending is the default, and puts nulls last.
    expect((await names('DeviceInfo | sort by OSBuild')).slice(-2)).toEqual([
      'ubuntu-web-0002',
      'annas-macbook-pro-x1',
    ]);
    // Strings sort ordinally: capitals before lower case.
    expect(await names('DeviceInfo | order by OSPlatform asc, Timestamp desc | take 3')).toEqual([
      'ubuntu-web-0002',
      '',
      'desktop-a.corp.contoso.com',
    ]);
    expect(await names('DeviceInfo | top 2 by Timestamp asc')).toEqual([
      'annas-macbook-pro-x1',
      'ubuntu-web-0002',
    ]);
    expect(await names('DeviceInfo | limit 1')).toEqual(['desktop-a.corp.contoso.com']);
    expect((await query('DeviceInfo | where IsAzureADJoined | count')).rows).toEqual([[3]]);
    expect((await query('DeviceInfo | distinct OSPlatform | count')).rows).toEqual([[5]]);
  });

  it('should stop reading the table once take has its rows', async () => {
    const table = devices();
    const { rows, scanned } = await query('DeviceInfo | take 3', { table });
    expect(rows).toHaveLength(3);
    expect(table.pulled).toBe(2);
    expect(scanned).toBe(4);
    const full = await query('DeviceInfo | count');
    expect(full.scanned).toBe(6);
  });
});

describe('hunting timespans and CPU budget', () => {
  it('should read the Timespan forms Graph documents', () => {
    const end = parseIsoTicks('2026-11-01T00:00:00Z') ?? 0;
    expect(parseDuration('P30D')).toBe(30 * TICKS_PER_DAY);
    expect(parseDuration('P1DT12H')).toBe(36 * TICKS_PER_HOUR);
    expect(parseDuration('P1Y')).toBeUndefined();
    expect(parseTimespan('P7D', NOW)).toEqual({ from: NOW - 7 * TICKS_PER_DAY, to: NOW });
    expect(parseTimespan('2026-11-01T00:00:00Z', NOW)).toEqual({ from: end, to: NOW });
    expect(parseTimespan('P1D/2026-11-01T00:00:00Z', NOW)).toEqual({ from: end - TICKS_PER_DAY, to: end });
    expect(parseTimespan('2026-11-01T00:00:00Z/P1D', NOW)).toEqual({ from: end, to: end + TICKS_PER_DAY });
    expect(parseTimespan('2026-10-01/2026-11-01T00:00:00Z', NOW)?.to).toBe(end);
    expect(parseTimespan('yesterday', NOW)).toBeUndefined();
    expect(parseTimespan('2026-11-01/2026-10-01', NOW)).toBeUndefined();
  });

  it('should refuse queries once the rows scanned in a minute pass the quota, until they age out', () => {
    const budget = new CpuBudget();
    budget.configure(100);
    expect(budget.waitSeconds(0)).toBe(0);
    budget.charge(60, 0);
    budget.charge(60, 30_000);
    expect(budget.waitSeconds(31_000)).toBe(29);
    expect(budget.waitSeconds(60_001)).toBe(0);
    budget.configure(null);
    expect(budget.rowsPerMinute).toBe(CpuBudget.DEFAULT_ROWS_PER_MINUTE);
  });
});
