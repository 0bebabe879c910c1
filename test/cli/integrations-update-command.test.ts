import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSimulator } from '../support/simulator.js';
import { addIntegrationArgs, dataDirEnv, expectOneClearLine, runCli } from './cli.js';

interface IntegrationJson {
  id: string;
  filters: {
    dropMobileAndIot: boolean;
    onboardingStatuses: string[];
    deviceGroups: string[];
    tags: string[];
  };
}
interface RunJson {
  dataset: string;
  status: string;
  skippedReasons: Record<string, number>;
}

describe('defender-hub integrations update', () => {
  it('should change the import filters one flag at a time, check them, and sync with them', async () => {
    const sim = await useSimulator({ machines: 200, seed: 53, findingsPerMachine: 1 });
    const env = dataDirEnv();
    const caFile = join(env.HUB_DATA_DIR!, 'sim-ca.pem');
    writeFileSync(caFile, sim.caPem);
    const cli = (args: string[]) => runCli(args, env);
    const add = await cli(addIntegrationArgs(sim, { name: 'sim', caFile }));
    expect(add.code, add.stderr).toBe(0);

    const update = await cli([
      'integrations',
      'update',
      'sim',
      '--mobile-and-iot',
      'keep',
      '--onboarding-status',
      'onboarded,CanBeOnboarded',
      '--device-group',
      'Servers - Production',
      '--device-group',
      'Mobile',
      '--tag',
      'VIP',
      '--json',
    ]);
    expect(update.code, update.stderr).toBe(0);
    expect((JSON.parse(update.stdout) as IntegrationJson).filters).toEqual({
      dropMobileAndIot: false,
      onboardingStatuses: ['Onboarded', 'CanBeOnboarded'],
      deviceGroups: ['Servers - Production', 'Mobile'],
      tags: ['VIP'],
    });

    // A flag changes its filter only; an --any-… flag empties its list.
    const widen = await cli(['integrations', 'update', 'sim', '--any-tag', '--any-device-group']);
    expect(widen.code, widen.stderr).toBe(0);
    expect(widen.stdout).toMatch(
      /filters\s+mobile and IoT kept; onboarding Onboarded, CanBeOnboarded; device groups any; tags any/,
    );
    expect(widen.stdout).toContain('defender-hub sync --integration "sim"');

    const sync = await cli(['sync', '--integration', 'sim', '--dataset', 'machines', '--json']);
    expect(sync.code, sync.stderr).toBe(0);
    const run = JSON.parse(sync.stdout.trim()) as RunJson;
    expect(run).toMatchObject({ dataset: 'machines', status: 'succeeded' });
    expect(run.skippedReasons).not.toHaveProperty(['mobile or IoT platform']);
    expect(run.skippedReasons).toHaveProperty(['filtered onboarding status']);

    const back = await cli([
      'integrations',
      'update',
      'sim',
      '--mobile-and-iot',
      'drop',
      '--any-onboarding-status',
    ]);
    expect(back.code, back.stderr).toBe(0);
    const show = await cli(['integrations', 'show', 'sim', '--json']);
    expect((JSON.parse(show.stdout) as IntegrationJson).filters).toEqual({
      dropMobileAndIot: true,
      onboardingStatuses: [],
      deviceGroups: [],
      tags: [],
    });
  });

  it('should refuse what it cannot apply in one clear line naming the flag', async () => {
    const env = dataDirEnv();
    const add = await runCli(
      [
        'integrations',
        'add',
        '--name',
        'contoso',
        '--tenant-id',
        'contoso.onmicrosoft.com',
        '--client-id',
        '6b1c5a3e-6f9b-4a7e-9d8e-2f1a3b4c5d6e',
        '--client-secret',
        'not-a-real-secret',
      ],
      env,
    );
    expect(add.code, add.stderr).toBe(0);
    const [nothing, typo, empty, both, choice, unknown] = await Promise.all([
      runCli(['integrations', 'update', 'contoso'], env),
      runCli(['integrations', 'update', 'contoso', '--onboarding-status', 'Onbaorded'], env),
      runCli(['integrations', 'update', 'contoso', '--tag', ' '], env),
      runCli(['integrations', 'update', 'contoso', '--tag', 'VIP', '--any-tag'], env),
      runCli(['integrations', 'update', 'contoso', '--mobile-and-iot', 'yes'], env),
      runCli(['integrations', 'update', 'fabrikam', '--any-tag'], env),
    ]);
    expectOneClearLine(
      nothing,
      /^defender-hub: Nothing to change: give --mobile-and-iot, .* \[INVALID_INPUT\]$/,
    );
    expectOneClearLine(
      typo,
      /--onboarding-status: "Onbaorded" is not an onboarding status Defender reports; use Onboarded, CanBeOnboarded, Unsupported, InsufficientInfo .*\[INVALID_INPUT\]$/,
    );
    expectOneClearLine(empty, /--tag: is empty; give a name or leave it out\. \[INVALID_INPUT\]$/);
    expectOneClearLine(both, /--any-tag.* cannot be used with .*--tag.*\[USAGE\]$/);
    expectOneClearLine(
      choice,
      /--mobile-and-iot <choice>' argument 'yes' is invalid\. Allowed choices are drop, keep\./,
    );
    expectOneClearLine(unknown, /fabrikam.*\[INTEGRATION_NOT_FOUND\]$/);
    const show = await runCli(['integrations', 'show', 'contoso', '--json'], env);
    expect((JSON.parse(show.stdout) as IntegrationJson).filters).toEqual({
      dropMobileAndIot: true,
      onboardingStatuses: [],
      deviceGroups: [],
      tags: [],
    });
  });
});
