import { afterAll, describe, expect, it } from 'vitest';
import { testIntegrationSettings } from '../../src/integrations/connection-test.js';
import { createIntegrationSchema } from '../../src/integrations/integration-schema.js';
import { permissionTable } from '../../src/domain/permissions.js';
import { simulatorIntegrationSettings } from '../../src/simulator/integration-settings.js';
import { datasetAccess, datasetFeatures } from '../../src/sync/dataset-access.js';
import { datasetNames } from '../../src/domain/datasets.js';
import { clientFor, simPost, useSimulator } from '../support/simulator.js';

/**
 * Every feature × every permission of the permission table, against the simulator granting that one role alone:
 * the connection test's table marks exactly the features that permission serves as granted, and sync's access
 * decision permits exactly the datasets that read them. Both decide from the tokens alone.
 */
const sim = await useSimulator({ machines: 10, seed: 90 });
afterAll(() => simPost(sim, '/_sim/control', { roles: null }));

const everyImportOff = {
  assets: false,
  vulnerabilities: false,
  alerts: false,
  incidents: false,
  software: false,
  recommendations: false,
  entraDevices: false,
};
const settings = createIntegrationSchema.parse({
  ...simulatorIntegrationSettings(sim, 'walk'),
  imports: everyImportOff,
});

const pairs = permissionTable.flatMap((row) =>
  row.sources
    .filter((source) => source.api !== 'arm')
    .flatMap((source) =>
      source.permissions.map((permission) => ({ feature: row.feature, source, permission })),
    ),
);

describe('the permission table, feature by role, against the simulator', () => {
  it.each(pairs)('$feature with $permission ($source.api) alone', async ({ feature, permission }) => {
    await simPost(sim, '/_sim/control', { roles: [permission] });
    const serves = (f: string) =>
      permissionTable
        .find((row) => row.feature === f)
        ?.sources.some((s) => s.permissions.includes(permission)) === true;

    const result = await testIntegrationSettings(settings);
    expect(result.ok, JSON.stringify(result.steps)).toBe(true);
    const row = result.permissions.find((p) => p.feature === feature);
    expect(row?.granted).toBe(true);
    expect(
      row?.sources.flatMap((s) => s.permissions.filter((p) => p.granted === true).map((p) => p.name)),
    ).toEqual([permission]);
    for (const other of result.permissions)
      expect(other.granted, other.feature).toBe(
        other.feature === 'cloudPosture' ? null : serves(other.feature),
      );

    // A new client: tokens carry the roles granted when they were issued.
    const client = clientFor(sim);
    for (const dataset of datasetNames.filter((d) => d !== 'cloudPosture')) {
      const access = await datasetAccess(client, dataset, undefined);
      expect(access.permitted, dataset).toEqual(datasetFeatures[dataset].filter(serves));
    }
  });
});
