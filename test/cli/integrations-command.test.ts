import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSimulator } from '../support/simulator.js';
import { dataDirEnv, expectOneClearLine, runCli, type CliResult, addIntegrationArgs } from './cli.js';

interface IntegrationJson {
  id: string;
  name: string;
  enabled: boolean;
  apiBaseUrl: string;
  credential: { type: string; set: boolean };
  lastRuns?: Record<string, unknown>;
}

// Independent tests, each with its own data directory: run side by side, spawns are mostly start-up time.
describe.concurrent('defender-hub integrations', () => {
  const valid = [
    '--name',
    'contoso',
    '--tenant-id',
    'contoso.onmicrosoft.com',
    '--client-id',
    '6b1c5a3e-6f9b-4a7e-9d8e-2f1a3b4c5d6e',
    '--client-secret',
    'not-a-real-secret',
  ];

  it('should add, list, show, disable, enable and remove an integration without ever printing its secret', async () => {
    const sim = await useSimulator({ machines: 5, seed: 11, findingsPerMachine: 1 });
    const env = dataDirEnv();
    const caFile = join(env.HUB_DATA_DIR!, 'sim-ca.pem');
    writeFileSync(caFile, sim.caPem);
    const outputs: CliResult[] = [];
    const cli = async (args: string[], input?: string): Promise<CliResult> => {
      const result = await runCli(args, env, input);
      outputs.push(result);
      return result;
    };

    // The secret arrives on stdin, as a script would pass it.
    const add = await cli(
      [...addIntegrationArgs(sim, { name: 'sim', caFile, secret: 'stdin' }), '--json'],
      `${sim.clientSecret}\n`,
    );
    expect(add.code, add.stderr).toBe(0);
    const added = JSON.parse(add.stdout) as IntegrationJson;
    expect(added).toMatchObject({ name: 'sim', enabled: true, apiBaseUrl: sim.apiBaseUrl });
    expect(added.credential).toMatchObject({ type: 'secret', set: true });

    const duplicate = await cli([
      'integrations',
      'add',
      ...valid.slice(0, -4),
      '--name',
      'sim',
      ...valid.slice(4),
    ]);
    expectOneClearLine(duplicate, /exists already/);

    const list = await cli(['integrations', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout) as IntegrationJson[];
    expect(listed.map((i) => [i.id, i.name])).toEqual([[added.id, 'sim']]);
    expect(listed[0]!.lastRuns).toEqual({
      machines: null,
      vulnerabilities: null,
      findings: null,
      alerts: null,
      incidents: null,
      machineActions: null,
      software: null,
      recommendations: null,
      entraDevices: null,
    });
    const table = await cli(['integrations', 'list']);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+PRODUCT\s+TENANT\s+ENABLED\s+MACHINES/m);
    expect(table.stdout).toContain(added.id);

    const show = await cli(['integrations', 'show', 'sim']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(added.id);
    expect(show.stdout).toMatch(/credential\s+secret, set/);

    const disable = await cli(['integrations', 'disable', 'sim', '--json']);
    expect((JSON.parse(disable.stdout) as IntegrationJson).enabled).toBe(false);
    const enable = await cli(['integrations', 'enable', added.id]);
    expect(enable.code, enable.stderr).toBe(0);
    expect(enable.stdout).toMatch(/enabled/);

    const refused = await cli(['integrations', 'remove', 'sim']);
    expectOneClearLine(refused, /--yes/);
    const missing = await cli(['integrations', 'show', 'nope']);
    expectOneClearLine(missing, /No integration with id or name "nope"/);
    const removed = await cli(['integrations', 'remove', 'sim', '--yes']);
    expect(removed.code, removed.stderr).toBe(0);
    const after = await cli(['integrations', 'list', '--json']);
    expect(JSON.parse(after.stdout)).toEqual([]);

    for (const output of outputs) {
      expect(output.stdout).not.toContain(sim.clientSecret);
      expect(output.stderr).not.toContain(sim.clientSecret);
    }
  });

  it.each([
    [['--client-id', 'my-app'], /--client-id must be .*GUID/],
    [['--api-base-url', 'http://api.security.microsoft.com'], /--api-base-url must use https/],
    [
      ['--api-base-url', 'https://api.security.microsoft.com/api'],
      /must not end in \/api: use https:\/\/api\.security\.microsoft\.com\./,
    ],
    [['--product', 'server'], /--product/],
  ])('should refuse add with %j in one clear line', async (change, message) => {
    const args = [...valid];
    for (let i = 0; i < change.length; i += 2) {
      const at = args.indexOf(change[i]!);
      if (at === -1) args.push(change[i]!, change[i + 1]!);
      else args[at + 1] = change[i + 1]!;
    }
    const result = await runCli(['integrations', 'add', ...args], dataDirEnv());
    expectOneClearLine(result, message);
    expect(result.stderr).not.toContain('not-a-real-secret');
  });

  it('should add with --test: the import toggles the permissions allow, and nothing added when the test fails', async () => {
    const sim = await useSimulator({
      machines: 5,
      seed: 12,
      findingsPerMachine: 1,
      roles: ['Vulnerability.Read.All'],
    });
    const env = dataDirEnv();
    const caFile = join(env.HUB_DATA_DIR!, 'sim-ca.pem');
    writeFileSync(caFile, sim.caPem);
    const add = await runCli([...addIntegrationArgs(sim, { name: 'patches', caFile }), '--test'], env);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^Connection test of "patches": ok$/m);
    expect(add.stdout).toMatch(/^Connected — limited: assets need Machine\.Read\.All; /m);
    expect(add.stdout).toMatch(/^assets\s+not permitted\s/m);
    expect(add.stdout).toMatch(/^\s*imports\s+vulnerabilities$/m);

    const wrong = await runCli(
      [...addIntegrationArgs(sim, { name: 'wrong', caFile, secret: 'not-the-secret' }), '--test'],
      env,
    );
    expectOneClearLine(wrong, /connection test of "wrong" failed: token \(DEFENDER_AUTH_WRONG_SECRET\)/);
    const list = await runCli(['integrations', 'list', '--json'], env);
    expect((JSON.parse(list.stdout) as IntegrationJson[]).map((i) => i.name)).toEqual(['patches']);
  });

  it('should refuse add without a credential, or with two', async () => {
    const env = dataDirEnv();
    const none = await runCli(['integrations', 'add', ...valid.slice(0, -2)], env);
    expectOneClearLine(none, /--client-secret/);
    const two = await runCli(['integrations', 'add', ...valid, '--certificate', 'x.pem'], env);
    expectOneClearLine(two, /--certificate/);
  });

  it('migrate should create the schema in a fresh data directory, then have nothing left to apply', async () => {
    const env = dataDirEnv();
    const first = await runCli(['migrate'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/0001-initial/);
    const again = await runCli(['migrate'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/up to date/i);
  });
});
