import { describe, expect, it } from 'vitest';
import {
  acceptedText,
  featureAccess,
  features,
  needsText,
  permissionTable,
  permittedSource,
  type Feature,
} from '../../src/domain/permissions.js';
import { ALL_ROLES } from '../../src/simulator/auth/roles.js';
import { datasetFeatures } from '../../src/sync/dataset-access.js';
import { datasets } from '../../src/sync/sync-service.js';
import { importFeatures } from '../../src/integrations/permission-report.js';
import { importsSchema } from '../../src/integrations/integration-schema.js';
import type { Imports, Integration } from '../../src/domain/integration.js';
import { datasetRunsFor } from '../../src/sync/dataset.js';

describe('the permission table', () => {
  it('should have one row per feature, in the order the features are listed', () => {
    expect(permissionTable.map((row) => row.feature)).toEqual([...features]);
    for (const row of permissionTable) {
      expect(row.sources.length, row.feature).toBeGreaterThan(0);
      expect(row.enables, row.feature).toMatch(/\.$/);
    }
  });

  it('should name the permissions the issue asks for, each under its API', () => {
    const where = (permission: string) =>
      permissionTable.flatMap((row) =>
        row.sources.filter((s) => s.permissions.includes(permission)).map((s) => `${row.feature}:${s.api}`),
      );
    expect(where('Machine.Isolate')).toEqual(['isolate:defender']);
    expect(where('Machine.Scan')).toEqual(['scan:defender']);
    expect(where('Machine.CollectForensics')).toEqual(['collect:defender']);
    expect(where('ThreatHunting.Read.All')).toEqual(['hunting:graph']);
    expect(where('AdvancedQuery.Read.All')).toEqual(['hunting:defender']);
    expect(where('Score.Read.All')).toEqual(['exposureScore:defender']);
    expect(where('SecurityRecommendation.Read.All')).toEqual(['recommendations:defender']);
    expect(where('Application.Read.All')).toEqual(['credentialExpiry:graph']);
    expect(where('Incident.Read.All')).toEqual(['incidents:xdr']);
    expect(where('Security Reader')).toEqual(['cloudPosture:arm']);
  });

  it('should name only permissions the simulator can grant (Azure RBAC aside)', () => {
    for (const row of permissionTable)
      for (const source of row.sources.filter((s) => s.api !== 'arm'))
        for (const permission of source.permissions) expect(ALL_ROLES, row.feature).toContain(permission);
  });

  it('should permit each feature with each of its permissions alone, and with nothing else', () => {
    for (const row of permissionTable)
      for (const source of row.sources) {
        if (source.api === 'arm') {
          expect(featureAccess(row.feature, { defender: [], graph: [], xdr: [] })).toBe('notChecked');
          continue;
        }
        for (const permission of source.permissions) {
          const roles = { defender: [], graph: [], xdr: [], [source.api]: [permission] };
          expect(featureAccess(row.feature, roles), `${row.feature} ${permission}`).toBe('permitted');
          expect(permittedSource(row.feature, roles)).toBe(source);
          // The same role on another API's token opens nothing: roles belong to their API.
          const elsewhere = source.api === 'graph' ? 'defender' : 'graph';
          expect(
            featureAccess(row.feature, { defender: [], graph: [], xdr: [], [elsewhere]: [permission] }),
            `${row.feature} ${permission} on ${elsewhere}`,
          ).toBe(
            row.sources.some((s) => s.api === elsewhere && s.permissions.includes(permission))
              ? 'permitted'
              : 'notPermitted',
          );
        }
      }
  });

  it('should not know a feature whose only token is missing (a failed sign-in)', () => {
    expect(featureAccess('incidents', { graph: [] })).toBe('notChecked');
    expect(featureAccess('incidents', { graph: [], xdr: [] })).toBe('notPermitted');
    expect(featureAccess('incidents', { xdr: ['Incident.Read.All'] })).toBe('permitted');
  });

  it('should say what a feature needs in the status words, and every permission that would do', () => {
    expect(needsText('alerts')).toBe('alerts need Alert.Read.All or SecurityAlert.Read.All');
    expect(needsText('software')).toBe('software needs Software.Read.All');
    expect(needsText('hunting')).toBe('hunting needs AdvancedQuery.Read.All or ThreatHunting.Read.All');
    expect(acceptedText('incidents')).toBe(
      'SecurityIncident.Read.All or SecurityIncident.ReadWrite.All (Microsoft Graph); Incident.Read.All or Incident.ReadWrite.All (Microsoft Threat Protection)',
    );
  });
});

describe('the features of datasets and imports', () => {
  it('should give each import toggle the features of the datasets it runs', () => {
    const names = Object.keys(importsSchema.shape) as (keyof Imports)[];
    const none = Object.fromEntries(names.map((name) => [name, false])) as Imports;
    expect(Object.keys(importFeatures).sort()).toEqual([...names].sort());
    for (const name of names) {
      // Only what datasetRunsFor reads of an integration.
      const only: Pick<Integration, 'product' | 'imports'> = {
        product: 'endpoint',
        imports: { ...none, [name]: true },
      };
      const fromDatasets = new Set<Feature>(
        datasets
          .filter((d) => datasetRunsFor(d, only as Integration))
          .flatMap((d) => datasetFeatures[d.name]),
      );
      expect(new Set(importFeatures[name]), name).toEqual(fromDatasets);
    }
  });
});
