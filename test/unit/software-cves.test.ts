import { describe, expect, it } from 'vitest';
import {
  FindingsCveAnswer,
  SoftwareCveTally,
  softwareKey,
  type FindingsRun,
} from '../../src/sync/software-cves.js';

const now = new Date('2026-03-01T12:00:00.000Z');
const minutesAgo = (m: number): string => new Date(now.getTime() - m * 60_000).toISOString();
const hour = { now, maxAgeMs: 60 * 60_000 };

const succeeded: FindingsRun = { id: 7, status: 'succeeded', finishedAt: minutesAgo(10) };
const stored = {
  runId: 7,
  cves: new Map([
    ['microsoft-_-edge', ['CVE-2026-0001', 'CVE-2026-0002']],
    ['google-_-chrome', ['CVE-2026-0003']],
  ]),
};

describe('SoftwareCveTally', () => {
  it('should gather distinct CVEs per software id, skipping rows without a CVE or a product', () => {
    const tally = new SoftwareCveTally();
    tally.add({ softwareVendor: 'microsoft', softwareName: 'edge', cveId: 'CVE-1' });
    tally.add({ softwareVendor: 'microsoft', softwareName: 'edge', cveId: 'CVE-1' });
    tally.add({ softwareVendor: 'Microsoft', softwareName: 'Edge', cveId: 'CVE-2' });
    tally.add({ softwareVendor: 'google', softwareName: 'chrome', cveId: null });
    tally.add({ softwareVendor: null, softwareName: 'chrome', cveId: 'CVE-3' });
    expect(tally.byProduct()).toEqual(new Map([['microsoft-_-edge', new Set(['CVE-1', 'CVE-2'])]]));
  });

  it('should key products as Defender forms software ids, vendor-_-name', () => {
    expect(softwareKey('microsoft', '.net_framework')).toBe('microsoft-_-.net_framework');
  });
});

describe('FindingsCveAnswer', () => {
  it('should answer a product whose tallied CVEs are as many as its weaknesses, ignoring letter case', () => {
    const answer = FindingsCveAnswer.from(succeeded, stored, hour);
    expect(answer.cvesOf({ id: 'Microsoft-_-Edge', weaknesses: 2 })).toEqual([
      'CVE-2026-0001',
      'CVE-2026-0002',
    ]);
    expect(answer.cvesOf({ id: 'mozilla-_-firefox', weaknesses: 0 })).toEqual([]);
    expect(answer.describe()).toBe('CVE lists: 2 of 2 products from the findings, 0 asked of Defender');
  });

  it('should leave to Defender a product whose count differs, or whose weaknesses are not given', () => {
    const answer = FindingsCveAnswer.from(succeeded, stored, hour);
    expect(answer.cvesOf({ id: 'google-_-chrome', weaknesses: 2 })).toBeUndefined();
    expect(answer.cvesOf({ id: 'mozilla-_-firefox', weaknesses: 1 })).toBeUndefined();
    expect(answer.cvesOf({ id: 'google-_-chrome', weaknesses: null })).toBeUndefined();
    expect(answer.cvesOf({ id: 'google-_-chrome', weaknesses: 1 })).toEqual(['CVE-2026-0003']);
    expect(answer.describe()).toBe('CVE lists: 1 of 4 products from the findings, 3 asked of Defender');
  });

  it.each([
    ['no findings run', undefined],
    ['a findings run still going', { id: 8, status: 'running', finishedAt: null }],
    ['a failed findings run', { id: 8, status: 'failed', finishedAt: minutesAgo(5) }],
    ['a cancelled findings run', { id: 8, status: 'cancelled', finishedAt: minutesAgo(5) }],
    [
      'a later run that did not tally (an older hub)',
      { id: 8, status: 'succeeded', finishedAt: minutesAgo(5) },
    ],
    ['a findings run older than the machines interval', { ...succeeded, finishedAt: minutesAgo(61) }],
  ] as const)('should answer nothing after %s', (_what, latest: FindingsRun | undefined) => {
    const answer = FindingsCveAnswer.from(latest, stored, hour);
    expect(answer.cvesOf({ id: 'microsoft-_-edge', weaknesses: 2 })).toBeUndefined();
    expect(answer.cvesOf({ id: 'mozilla-_-firefox', weaknesses: 0 })).toBeUndefined();
    expect(answer.describe()).toBe('CVE lists: every product asked of Defender (no usable findings run)');
  });

  it('should answer only products without CVEs from an empty tally (nothing open anywhere)', () => {
    const answer = FindingsCveAnswer.from(succeeded, { runId: undefined, cves: new Map() }, hour);
    expect(answer.cvesOf({ id: 'mozilla-_-firefox', weaknesses: 0 })).toEqual([]);
    expect(answer.cvesOf({ id: 'microsoft-_-edge', weaknesses: 2 })).toBeUndefined();
  });

  it('should answer nothing when the integration does not import vulnerabilities', () => {
    expect(FindingsCveAnswer.none().cvesOf({ id: 'mozilla-_-firefox', weaknesses: 0 })).toBeUndefined();
  });
});
