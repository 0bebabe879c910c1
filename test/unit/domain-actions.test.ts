import { describe, expect, it } from 'vitest';
import { isolationState, type IsolationAction } from '../../src/domain/isolation.js';
import { noProtectedDevices, protectionReason } from '../../src/domain/protected-devices.js';

let next = 0;
function action(
  type: string,
  status: string,
  createdAt: string,
  lastUpdateAt: string | null = null,
): IsolationAction {
  next++;
  return { id: `a${String(next).padStart(3, '0')}`, type, status, createdAt, lastUpdateAt };
}

describe('isolationState', () => {
  it('should say not isolated, since never, with no isolate or release action', () => {
    expect(isolationState([])).toEqual({ state: 'notIsolated', since: null, actionId: null });
    expect(isolationState([action('RunAntiVirusScan', 'Succeeded', '2026-01-01T00:00:00Z')]).state).toBe(
      'notIsolated',
    );
  });

  it('should say isolated after a succeeded isolate, since its last update', () => {
    const isolate = action('Isolate', 'Succeeded', '2026-01-01T00:00:00Z', '2026-01-01T00:05:00Z');
    expect(isolationState([isolate])).toEqual({
      state: 'isolated',
      since: '2026-01-01T00:05:00Z',
      actionId: isolate.id,
    });
  });

  it('should follow the latest action, whatever order they come in', () => {
    const isolate = action('Isolate', 'Succeeded', '2026-01-01T00:00:00Z', '2026-01-01T00:05:00Z');
    const release = action('Unisolate', 'Succeeded', '2026-01-02T00:00:00Z', '2026-01-02T00:01:00Z');
    expect(isolationState([release, isolate])).toMatchObject({ state: 'notIsolated', actionId: release.id });
    const again = action('Isolate', 'InProgress', '2026-01-03T00:00:00Z');
    expect(isolationState([again, isolate, release])).toEqual({
      state: 'pending',
      since: '2026-01-03T00:00:00Z',
      actionId: again.id,
    });
  });

  it('should ignore failed, cancelled and timed-out actions: the one before still holds', () => {
    const isolate = action('Isolate', 'Succeeded', '2026-01-01T00:00:00Z', '2026-01-01T00:05:00Z');
    for (const status of ['Failed', 'Cancelled', 'TimeOut']) {
      const release = action('Unisolate', status, '2026-01-02T00:00:00Z');
      expect(isolationState([isolate, release])).toMatchObject({ state: 'isolated', actionId: isolate.id });
    }
  });

  it('should take the since of a done action from its creation when it has no last update', () => {
    expect(isolationState([action('Isolate', 'Succeeded', '2026-01-01T00:00:00Z')]).since).toBe(
      '2026-01-01T00:00:00Z',
    );
  });
});

describe('protectionReason', () => {
  const rules = {
    tags: ['protected'],
    deviceGroups: ['Domain Controllers'],
    namePatterns: ['dc-*.contoso.com'],
  };
  const device = { tags: ['Finance'], deviceGroup: 'Workstations', name: 'pc-1.contoso.com' };

  it('should protect nothing without rules', () => {
    expect(
      protectionReason({ tags: ['Protected'], deviceGroup: 'x', name: 'dc-1' }, noProtectedDevices),
    ).toBeUndefined();
  });

  it('should name the tag, the group or the pattern that protects the device, ignoring case', () => {
    expect(protectionReason({ ...device, tags: ['Finance', 'PROTECTED'] }, rules)).toBe('tag "PROTECTED"');
    expect(protectionReason({ ...device, deviceGroup: 'domain controllers' }, rules)).toBe(
      'device group "domain controllers"',
    );
    expect(protectionReason({ ...device, name: 'DC-01.contoso.com' }, rules)).toBe(
      'name pattern "dc-*.contoso.com"',
    );
  });

  it('should not protect a device that matches no rule, nor one without a name against a pattern', () => {
    expect(protectionReason(device, rules)).toBeUndefined();
    expect(protectionReason({ tags: [], deviceGroup: null, name: null }, rules)).toBeUndefined();
    expect(protectionReason({ ...device, name: 'dc-1.contoso.com.evil' }, rules)).toBeUndefined();
  });
});
