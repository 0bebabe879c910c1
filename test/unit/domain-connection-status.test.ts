import { describe, expect, it } from 'vitest';
import {
  connectionStatus,
  interruptedRunCode,
  isConclusiveRun,
  type RunOutcome,
} from '../../src/domain/connection-status.js';
import type { Feature } from '../../src/domain/permissions.js';

const at = (minute: number): string => new Date(Date.UTC(2025, 0, 1, 12, minute)).toISOString();
const succeeded = (minute: number): RunOutcome => ({
  status: 'succeeded',
  errorCode: null,
  errorMessage: null,
  finishedAt: at(minute),
  notPermitted: [],
});
const failed = (minute: number, errorMessage: string | null, errorCode: string | null = 'E'): RunOutcome => ({
  status: 'failed',
  errorCode,
  errorMessage,
  finishedAt: at(minute),
  notPermitted: [],
});
const running: RunOutcome = {
  status: 'running',
  errorCode: null,
  errorMessage: null,
  finishedAt: null,
  notPermitted: [],
};
const cancelled: RunOutcome = {
  status: 'cancelled',
  errorCode: 'SYNC_CANCELLED',
  errorMessage: 'stopped',
  finishedAt: at(30),
  notPermitted: [],
};
const interrupted = failed(40, 'The process stopped during the run.', interruptedRunCode);

describe('connectionStatus', () => {
  it('should say Connected when every dataset last succeeded', () => {
    expect(connectionStatus({ enabled: true, datasets: [[succeeded(1)], [succeeded(2)]] })).toEqual({
      state: 'connected',
      label: 'Connected',
      notPermitted: [],
    });
  });

  it('should say Disabled for a disabled integration, failing or not', () => {
    const disabled = { state: 'disabled', label: 'Disabled', notPermitted: [] };
    expect(connectionStatus({ enabled: false, datasets: [[failed(1, 'refused')]] })).toEqual(disabled);
    expect(connectionStatus({ enabled: false, datasets: [] })).toEqual(disabled);
  });

  it('should say Not synced yet before any dataset ran to its end', () => {
    const notSynced = { state: 'notSynced', label: 'Not synced yet', notPermitted: [] };
    expect(connectionStatus({ enabled: true, datasets: [] })).toEqual(notSynced);
    expect(connectionStatus({ enabled: true, datasets: [[], []] })).toEqual(notSynced);
    expect(connectionStatus({ enabled: true, datasets: [[running], [cancelled], [interrupted]] })).toEqual(
      notSynced,
    );
  });

  it("should be failing with the newest failed dataset run's message", () => {
    const status = connectionStatus({
      enabled: true,
      datasets: [[failed(5, 'older')], [succeeded(9)], [failed(7, 'newest')], [failed(6, 'middle')]],
    });
    expect(status).toEqual({ state: 'failing', label: 'Failing: newest', notPermitted: [] });
  });

  it('should fall back to the error code, then to a fixed reason', () => {
    expect(connectionStatus({ enabled: true, datasets: [[failed(1, null, 'AUTH_INVALID_SECRET')]] })).toEqual(
      {
        state: 'failing',
        label: 'Failing: AUTH_INVALID_SECRET',
        notPermitted: [],
      },
    );
    expect(connectionStatus({ enabled: true, datasets: [[failed(1, null, null)]] }).label).toBe(
      'Failing: no reason recorded',
    );
  });

  it('should let only the latest conclusive run of a dataset decide', () => {
    // A success after a failure mends the dataset; a failure after a success breaks it.
    expect(connectionStatus({ enabled: true, datasets: [[succeeded(9), failed(5, 'old')]] }).state).toBe(
      'connected',
    );
    expect(connectionStatus({ enabled: true, datasets: [[failed(9, 'new'), succeeded(5)]] }).label).toBe(
      'Failing: new',
    );
  });

  it('should not fail a dataset for a run that is running, cancelled or interrupted', () => {
    for (const cut of [running, cancelled, interrupted]) {
      expect(connectionStatus({ enabled: true, datasets: [[cut, succeeded(1)]] }).state).toBe('connected');
      // Nor hide an earlier failure.
      expect(connectionStatus({ enabled: true, datasets: [[cut, failed(1, 'refused')]] }).label).toBe(
        'Failing: refused',
      );
    }
  });
});

describe('a dataset the app is not permitted to read', () => {
  const notPermitted = (minute: number, features: Feature[]): RunOutcome => ({
    status: 'notPermitted',
    errorCode: 'SYNC_NOT_PERMITTED',
    errorMessage: 'Not permitted: …',
    finishedAt: at(minute),
    notPermitted: features,
  });

  it('should be connected but limited, naming what each feature needs in the table order', () => {
    const status = connectionStatus({
      enabled: true,
      datasets: [[succeeded(1)], [notPermitted(2, ['incidents'])], [notPermitted(3, ['alerts'])]],
    });
    expect(status).toEqual({
      state: 'limited',
      label:
        'Connected — limited: alerts need Alert.Read.All or SecurityAlert.Read.All; incidents need Incident.Read.All or SecurityIncident.Read.All',
      notPermitted: ['alerts', 'incidents'],
    });
  });

  it('should count a succeeded run that left a feature out, and a run that read nothing as synced', () => {
    const partial = { ...succeeded(4), notPermitted: ['recommendations'] as Feature[] };
    expect(connectionStatus({ enabled: true, datasets: [[partial]] }).label).toBe(
      'Connected — limited: recommendations need SecurityRecommendation.Read.All',
    );
    expect(connectionStatus({ enabled: true, datasets: [[notPermitted(1, ['assets'])]] }).state).toBe(
      'limited',
    );
  });

  it('should still fail on a dataset it may read that failed, and mend once the permission returns', () => {
    expect(
      connectionStatus({ enabled: true, datasets: [[notPermitted(5, ['alerts'])], [failed(4, 'refused')]] }),
    ).toMatchObject({ state: 'failing', label: 'Failing: refused' });
    // The newest conclusive run decides: granted back and read, the limit is gone.
    expect(
      connectionStatus({ enabled: true, datasets: [[succeeded(9), notPermitted(5, ['alerts'])]] }).state,
    ).toBe('connected');
  });
});

describe('isConclusiveRun', () => {
  it('should count succeeded, not permitted and failed runs, not running, cancelled or interrupted ones', () => {
    const notPermitted: RunOutcome = { ...succeeded(1), status: 'notPermitted' };
    expect(
      [succeeded(1), notPermitted, failed(1, 'x'), running, cancelled, interrupted].map(isConclusiveRun),
    ).toEqual([true, true, true, false, false, false]);
  });
});
