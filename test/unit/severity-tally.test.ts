import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/defender/index.js';
import { SeverityTally } from '../../src/sync/severity-tally.js';

const finding = (cveId: string | null, severity: string | null): Finding =>
  ({
    id: `${cveId ?? 'none'}-${severity ?? 'none'}`,
    deviceId: 'd',
    cveId,
    vulnerabilitySeverityLevel: severity,
  });

describe('SeverityTally', () => {
  it('should count the findings with a CVE by severity on the scale, whatever the case, and others as Unknown', () => {
    const tally = new SeverityTally();
    for (const f of [
      finding('CVE-1', 'High'),
      finding('CVE-2', ' high '),
      finding('CVE-3', 'Critical'),
      finding('CVE-4', null),
      finding('CVE-5', 'Severe'),
      // Installed software without a known vulnerability is not an open finding.
      finding(null, 'High'),
      finding(null, null),
    ])
      tally.add(f);
    expect(tally.counts).toEqual({ High: 2, Critical: 1, Unknown: 2 });
  });
});
