import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simGet, useSimulator } from '../support/simulator.js';
import { addIntegrationArgs, dataDirEnv, expectOneClearLine, runCli } from './cli.js';

interface IntegrationJson {
  name: string;
  product: string;
  armBaseUrl: string | null;
  subscriptions: string[];
}
interface TruthSubscription {
  subscriptionId: string;
  displayName: string;
  readable: boolean;
}

const endpointFlags = [
  '--name',
  'contoso',
  '--tenant-id',
  'contoso.onmicrosoft.com',
  '--client-id',
  '6b1c5a3e-6f9b-4a7e-9d8e-2f1a3b4c5d6e',
  '--client-secret',
  'not-a-real-secret',
];
const guidA = '11111111-2222-4333-8444-555555555555';

describe.concurrent('defender-hub integrations, Defender for Cloud', () => {
  it('should add a cloud integration with --arm-base-url and repeated or comma-listed --subscription, then print the cloud steps of its test', async () => {
    const sim = await useSimulator({ machines: 2, seed: 19, findingsPerMachine: 1 });
    const truth = (await simGet<{ subscriptions: TruthSubscription[] }>(sim, '/_sim/truth/arm'))
      .subscriptions;
    const readable = truth.filter((s) => s.readable).map((s) => s.subscriptionId);
    const unreadable = truth.find((s) => !s.readable);
    expect(readable.length).toBeGreaterThan(1);
    const env = dataDirEnv();
    const caFile = join(env.HUB_DATA_DIR!, 'sim-ca.pem');
    writeFileSync(caFile, sim.caPem);
    const add = (name: string, extra: string[]) =>
      runCli(
        [
          ...addIntegrationArgs(sim, { name, caFile }),
          '--product',
          'cloud',
          '--arm-base-url',
          sim.armBaseUrl,
          ...extra,
          '--json',
        ],
        env,
      );

    // One flag per subscription and a comma list mix; upper case is stored as Azure shows ids, lower case.
    const [first, ...rest] = readable;
    const added = await add('mdc', [
      '--subscription',
      first!.toUpperCase(),
      '--subscription',
      rest.join(','),
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout) as IntegrationJson).toMatchObject({
      name: 'mdc',
      product: 'cloud',
      armBaseUrl: sim.armBaseUrl,
      subscriptions: readable,
    });
    const show = await runCli(['integrations', 'show', 'mdc'], env);
    expect(show.stdout).toMatch(new RegExp(`^\\s*ARM\\s+${sim.armBaseUrl.replace(/[.]/g, '\\.')}$`, 'm'));
    expect(show.stdout).toMatch(new RegExp(`^\\s*subscriptions\\s+${readable.join(', ')}$`, 'm'));
    const ok = await runCli(['integrations', 'test', 'mdc'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^Connection test of "mdc": ok$/m);
    for (const step of ['token', 'subscriptions', 'securityReader'])
      expect(ok.stdout).toMatch(new RegExp(`^${step}\\s+ok\\s`, 'm'));
    expect(ok.stdout).toMatch(/^SUBSCRIPTION\s+NAME\s+STATE\s+READABLE \(SECURITY READER\)/m);
    for (const id of readable) expect(ok.stdout).toMatch(new RegExp(`^${id}\\s.*\\syes$`, 'm'));
    expect(ok.stdout).toMatch(new RegExp(`^${unreadable!.subscriptionId}\\s.*\\snot tried$`, 'm'));
    // The permission table of a cloud integration is its one row: Azure RBAC's Security Reader.
    expect(ok.stdout).toMatch(/^cloud posture\s+Azure RBAC\s+Security Reader\*\s+yes\s/m);
    expect(ok.stdout).not.toContain('WindowsDefenderATP');

    // Every subscription: the unreadable one fails the test, named with the role to assign.
    const all = await add('mdc-all', []);
    expect(all.code, all.stderr).toBe(0);
    const failed = await runCli(['integrations', 'test', 'mdc-all'], env);
    expect(failed.stdout).toMatch(
      /^securityReader\s+failed\s.*Security Reader.*\[DEFENDER_PERMISSION_MISSING\]$/m,
    );
    expect(failed.stdout).toContain(unreadable!.subscriptionId);
    expectOneClearLine(failed, /securityReader \(DEFENDER_PERMISSION_MISSING\)/);
    for (const output of [added, ok, all, failed]) expect(output.stdout).not.toContain(sim.clientSecret);
  });

  it.each([
    [
      ['--product', 'cloud', '--subscription', `${guidA},production`],
      /^defender-hub: --subscription must hold subscription IDs \(GUIDs .*"production" is not one\./,
    ],
    [
      ['--product', 'cloud', '--arm-base-url', 'http://management.azure.com'],
      /--arm-base-url must use https/,
    ],
    [['--product', 'cloud', '--arm-base-url', 'management'], /--arm-base-url must be a URL/],
    [
      ['--subscription', guidA],
      /--arm-base-url and --subscription are for Defender for Cloud: add --product cloud/,
    ],
  ])('should refuse add with %j in one clear line', async (extra, message) => {
    const result = await runCli(['integrations', 'add', ...endpointFlags, ...extra], dataDirEnv());
    expectOneClearLine(result, message);
  });

  it('should document the cloud flags in the help', async () => {
    const help = await runCli(['integrations', 'add', '--help'], dataDirEnv());
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--product <product>\s+Defender product: endpoint/);
    expect(help.stdout).toMatch(/--arm-base-url <url>\s+cloud: Azure Resource Manager host/);
    expect(help.stdout).toMatch(/--subscription <id>\s+cloud: a subscription ID \(GUID\)/);
  });
});
