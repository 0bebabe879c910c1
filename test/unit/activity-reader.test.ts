import { describe, expect, it } from 'vitest';
import { chooseReader } from '../../src/sync/activity-reader.js';
import { activityReaders } from '../../src/sync/datasets/activity.js';
import { featurePermissions } from '../../src/domain/permissions.js';

describe('choosing the source an activity dataset reads through', () => {
  it('should take the best source the tokens permit, from their roles alone', () => {
    const both = { graph: ['SecurityIncident.ReadWrite.All'], xdr: ['Incident.Read.All'] };
    expect(chooseReader(activityReaders.incidents, 'incidents', both).source).toBe('graph');
    expect(
      chooseReader(activityReaders.alerts, 'alerts', { graph: [], defender: ['Alert.Read.All'] }).source,
    ).toBe('mde');
  });

  it('should fall back to the next source when the first is not permitted or its sign-in failed', () => {
    expect(
      chooseReader(activityReaders.incidents, 'incidents', {
        graph: ['Device.Read.All'],
        xdr: ['Incident.Read.All'],
      }).source,
    ).toBe('xdr');
    // No Graph token at all (its sign-in failed): the Microsoft 365 Defender one still reads.
    expect(
      chooseReader(activityReaders.incidents, 'incidents', { xdr: ['Incident.ReadWrite.All'] }).source,
    ).toBe('xdr');
  });

  it('should have a reader for every source the permission table lists, in the same order', () => {
    for (const feature of ['alerts', 'incidents'] as const)
      expect(activityReaders[feature].map((r) => r.audience)).toEqual(
        featurePermissions(feature).sources.map((s) => s.api),
      );
  });

  it('should refuse with a stable code when asked for a feature no source permits', () => {
    expect(() => chooseReader(activityReaders.alerts, 'alerts', { graph: [], defender: [] })).toThrow(
      expect.objectContaining({ code: 'SYNC_NO_READER' }),
    );
  });
});
