import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSimulator } from '../support/simulator.js';
import { addIntegrationArgs, dataDirEnv, expectOneClearLine, runCli } from './cli.js';

interface StrategyJson {
  id: number;
  name: string;
  description: string | null;
  expression: string;
}

interface MatchesJson {
  items: {
    name: string;
    integrationId: string;
    matchedEndpoints: number;
    cveCount: number;
    endpoints: { machineId: string; computerDnsName: string | null }[];
  }[];
  total: number;
  page: number;
  pageSize: number;
}

interface ProfileJson {
  id: number;
  name: string;
  kind: string;
  rule: Record<string, string> | null;
  endpoints: number;
}

const urgent = 'defender.severitylevel in ("critical","high") and defender.knownexploitexists = true';
const urgentCanonical =
  'Defender.SeverityLevel in ("Critical", "High") and Defender.KnownExploitExists = true';

/** The column the caret of a `validate` report points at, 1-based in the source line it sits under. */
function caretColumn(stdout: string): { source: string; column: number } {
  const lines = stdout.trimEnd().split('\n');
  const caret = lines[lines.length - 1] ?? '';
  const source = lines[lines.length - 2] ?? '';
  expect(caret.trimEnd()).toMatch(/^ {2}[ \t]*\^$/);
  // Both lines are indented by two spaces; the column is counted in the expression itself.
  return { source: source.slice(2), column: caret.indexOf('^') - 2 + 1 };
}

// One test at a time: each spawns several CLIs at once already, and they are CPU-bound start-ups.
describe('defender-hub strategies and profiles', () => {
  it('should add, list, show, match and remove a strategy, refusing bad input with one clear line', async () => {
    const env = dataDirEnv();
    const add = await runCli(
      [
        'strategies',
        'add',
        '--name',
        'urgent',
        '--expression',
        urgent,
        '--description',
        'exploited',
        '--json',
      ],
      env,
    );
    expect(add.code, add.stderr).toBe(0);
    const added = JSON.parse(add.stdout) as StrategyJson;
    expect(added).toMatchObject({ name: 'urgent', description: 'exploited', expression: urgentCanonical });

    const [list, table, show, showJson, bad, duplicate] = await Promise.all([
      runCli(['strategies', 'list', '--json'], env),
      runCli(['strategies', 'list'], env),
      runCli(['strategies', 'show', String(added.id)], env),
      runCli(['strategies', 'show', String(added.id), '--json'], env),
      runCli(['strategies', 'add', '--name', 'broken', '--expression', 'Cvss >= '], env),
      runCli(['strategies', 'add', '--name', 'urgent', '--expression', 'Cvss > 9'], env),
    ]);
    expect((JSON.parse(list.stdout) as StrategyJson[]).map((s) => [s.id, s.name])).toEqual([
      [added.id, 'urgent'],
    ]);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+EXPRESSION$/m);
    expect(table.stdout).toContain(urgentCanonical);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`^Patch strategy "urgent" \\(${added.id}\\)$`, 'm'));
    expect(show.stdout).toMatch(/expression\s+Defender\.SeverityLevel in/);
    expect(JSON.parse(showJson.stdout)).toEqual(added);
    expectOneClearLine(bad, /^defender-hub: Line 1, column 9: .*\[INVALID_STRATEGY_EXPRESSION\]$/);
    expect(bad.stdout).toBe('');
    expectOneClearLine(duplicate, /exists already.*\[STRATEGY_NAME_TAKEN\]/);

    const [matches, matchesText, badPageSize, badId] = await Promise.all([
      runCli(['strategies', 'matches', String(added.id), '--json'], env),
      runCli(['strategies', 'matches', String(added.id)], env),
      runCli(['strategies', 'matches', String(added.id), '--page-size', '501'], env),
      runCli(['strategies', 'show', 'one'], env),
    ]);
    expect(matches.code, matches.stderr).toBe(0);
    expect(JSON.parse(matches.stdout)).toEqual({ items: [], total: 0, page: 1, pageSize: 50 });
    expect(matchesText.stdout).toBe(`Strategy "urgent" (${added.id}) matches no patches.\n`);
    expectOneClearLine(badPageSize, /--page-size.*whole number from 1 to 500.*\[USAGE\]/);
    expectOneClearLine(badId, /expected an id.*\[USAGE\]/);

    const remove = await runCli(['strategies', 'remove', String(added.id)], env);
    expect(remove.code, remove.stderr).toBe(0);
    expect(remove.stdout).toBe(`Removed patch strategy "urgent" (${added.id}).\n`);
    const [gone, empty] = await Promise.all([
      runCli(['strategies', 'show', String(added.id)], env),
      runCli(['strategies', 'list'], env),
    ]);
    expectOneClearLine(gone, /\[STRATEGY_NOT_FOUND\]/);
    expect(empty.stdout).toMatch(/^No patch strategies yet/);
  });

  it('should validate an expression: its canonical form, or the problem with a caret under its column', async () => {
    const env = dataDirEnv();
    const [good, level, json, multiline] = await Promise.all([
      runCli(['strategies', 'validate', urgent], env),
      runCli(['strategies', 'validate', 'Defender.SeverityLevel in ("Critical","Urgent")'], env),
      runCli(['strategies', 'validate', '--json', 'Cvss >='], env),
      runCli(['strategies', 'validate', 'Cvss >= 7\n\tand Software.Vendor = 3'], env),
    ]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toBe(`ok: ${urgentCanonical}\n`);

    expect(level.code).toBe(1);
    expect(level.stdout).toMatch(/^Line 1, column 39: .*"Urgent" is not one of them/);
    expect(caretColumn(level.stdout)).toEqual({
      source: 'Defender.SeverityLevel in ("Critical","Urgent")',
      column: 39,
    });
    expectOneClearLine(level, /line 1, column 39.*\[INVALID_STRATEGY_EXPRESSION\]/);

    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error: {
        line: 1,
        column: 8,
        expected: 'a value',
        found: 'end of expression',
        message: expect.stringMatching(/^Line 1, column 8: /) as unknown,
      },
    });

    // The caret sits under the offending line, tabs kept so it lines up in a terminal.
    expect(multiline.code).toBe(1);
    expect(multiline.stdout).toMatch(/^Line 2, column 24: /);
    expect(multiline.stdout.split('\n')[2]).toBe(`  \t${' '.repeat(22)}^`);
    expect(caretColumn(multiline.stdout).source).toBe('\tand Software.Vendor = 3');
  });

  it('should describe the language in the strategies help, and the criteria in the profiles help', async () => {
    const env = dataDirEnv();
    const [top, validate, matches, profiles] = await Promise.all(
      [['strategies'], ['strategies', 'validate'], ['strategies', 'matches'], ['profiles', 'add']].map(
        (command) => runCli([...command, '--help'], env),
      ),
    );
    for (const help of [top, validate, matches]) {
      expect(help!.code, help!.stderr).toBe(0);
      expect(help!.stdout).toContain(
        'Defender.SeverityLevel in ("Critical","High") and Defender.KnownExploitExists = true',
      );
      expect(help!.stdout).toMatch(/^ {2}Endpoint\.Tag\s+endpoint\s+string, several per endpoint$/m);
      expect(help!.stdout).toMatch(
        /^ {2}Defender\.SeverityLevel\s+patch\s+level Low < Medium < High < Critical$/m,
      );
      expect(help!.stdout).toContain('contains "text"');
    }
    expect(matches!.stdout).toMatch(/--endpoint-limit <n>\s+endpoints listed per patch \(0–1000\)/);
    expect(profiles!.stdout).toMatch(/--ip-range <range>/);
    expect(profiles!.stdout).toContain('every criterion given must hold');
  });

  it('should add, list and remove rule profiles, refusing a bad IP range', async () => {
    const env = dataDirEnv();
    const add = await runCli(
      [
        'profiles',
        'add',
        '--name',
        'web servers',
        '--name-pattern',
        'web-*',
        '--ip-range',
        '10.1.0.0/16',
        '--json',
      ],
      env,
    );
    expect(add.code, add.stderr).toBe(0);
    const added = JSON.parse(add.stdout) as ProfileJson;
    expect(added).toMatchObject({
      name: 'web servers',
      kind: 'rule',
      rule: { namePattern: 'web-*', ipRange: '10.1.0.0/16' },
      endpoints: 0,
    });

    const [list, table, badRange, noCriterion] = await Promise.all([
      runCli(['profiles', 'list', '--json'], env),
      runCli(['profiles', 'list'], env),
      runCli(['profiles', 'add', '--name', 'lab', '--ip-range', '10.0.0.0/40'], env),
      runCli(['profiles', 'add', '--name', 'lab'], env),
    ]);
    expect((JSON.parse(list.stdout) as ProfileJson[]).map((p) => [p.id, p.name])).toEqual([
      [added.id, 'web servers'],
    ]);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+KIND\s+ENDPOINTS\s+RULE$/m);
    expect(table.stdout).toContain('namePattern=web-*, ipRange=10.1.0.0/16');
    expectOneClearLine(badRange, /ipRange "10\.0\.0\.0\/40".*\[INVALID_INPUT\]/);
    expectOneClearLine(noCriterion, /at least one criterion.*\[INVALID_INPUT\]/);

    const remove = await runCli(['profiles', 'remove', String(added.id)], env);
    expect(remove.code, remove.stderr).toBe(0);
    expect(remove.stdout).toBe(`Removed rule profile "web servers" (${added.id}).\n`);
    const [again, empty] = await Promise.all([
      runCli(['profiles', 'remove', String(added.id)], env),
      runCli(['profiles', 'list', '--json'], env),
    ]);
    expectOneClearLine(again, /\[PROFILE_NOT_FOUND\]/);
    expect(JSON.parse(empty.stdout)).toEqual([]);
  });

  it('should list the patches a strategy selects after a sync, with their first endpoints', async () => {
    const sim = await useSimulator({ machines: 12, seed: 31, findingsPerMachine: 3 });
    const env = dataDirEnv();
    const caFile = join(env.HUB_DATA_DIR!, 'ca.pem');
    writeFileSync(caFile, sim.caPem);
    const added = await runCli([...addIntegrationArgs(sim, { name: 'sim', caFile }), '--json'], env);
    expect(added.code, added.stderr).toBe(0);
    const integrationId = (JSON.parse(added.stdout) as { id: string }).id;
    const sync = await runCli(['sync'], env);
    expect(sync.code, sync.stderr).toBe(0);
    // Not `Cvss >= 0`: the simulator's findings carry no cvssScore, so Cvss is null on every patch it yields.
    const strategy = await runCli(
      ['strategies', 'add', '--name', 'everything', '--expression', 'Patch.EndpointCount >= 1', '--json'],
      env,
    );
    expect(strategy.code, strategy.stderr).toBe(0);
    const id = String((JSON.parse(strategy.stdout) as StrategyJson).id);

    const [json, text, other] = await Promise.all([
      runCli(['strategies', 'matches', id, '--integration', 'sim', '--endpoint-limit', '2', '--json'], env),
      runCli(['strategies', 'matches', id, '--page-size', '3', '--endpoint-limit', '1'], env),
      runCli(['strategies', 'matches', id, '--integration', 'nope'], env),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const page = JSON.parse(json.stdout) as MatchesJson;
    expect(page.total).toBeGreaterThan(0);
    expect(page.items.length).toBe(Math.min(page.total, 50));
    for (const item of page.items) {
      expect(item.integrationId).toBe(integrationId);
      expect(item.matchedEndpoints).toBeGreaterThan(0);
      expect(item.endpoints.length).toBe(Math.min(2, item.matchedEndpoints));
    }

    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^Strategy "everything" \\(${id}\\) matches ${page.total} patch(es)?; page 1 of \\d+\\.$`),
    );
    expect(lines[1]).toMatch(/^SEVERITY\s+PATCH\s+SOFTWARE\s+ENDPOINTS\s+CVES$/);
    const first = page.items[0]!;
    expect(lines[2]).toMatch(new RegExp(`^\\S+\\s+.+\\s+${first.matchedEndpoints}\\s+${first.cveCount}$`));
    expect(lines[2]).toContain(first.name);
    expect(lines[3]).toBe(`    ${first.endpoints[0]!.computerDnsName ?? first.endpoints[0]!.machineId}`);
    if (first.matchedEndpoints > 1) expect(lines[4]).toBe(`    … and ${first.matchedEndpoints - 1} more`);

    expectOneClearLine(other, /"nope".*\[INTEGRATION_NOT_FOUND\]/);
  });
});
