import type { Batch, Finding } from '../../defender/index.js';
import type { NewFindingRow } from '../../store/schema.js';
import { removalVerdict, type Dataset, type DatasetContext } from '../dataset.js';
import { isTimestamp } from './machines.js';

/** Above this many endpoints the via-files export is used: Microsoft recommends it past ~100,000 devices. */
export const filesExportThreshold = 100_000;

export const findingSkipReasons = {
  noCve: 'no CVE (installed software without a vulnerability)',
  unknownDevice: 'device not imported as an endpoint',
} as const;

function toFindingRow(finding: Finding, integrationId: string, runId: number, now: string): NewFindingRow {
  return {
    integration_id: integrationId,
    finding_key: finding.id,
    machine_id: finding.deviceId,
    cve_id: finding.cveId ?? null,
    software_vendor: finding.softwareVendor ?? null,
    software_name: finding.softwareName ?? null,
    software_version: finding.softwareVersion ?? null,
    severity: finding.vulnerabilitySeverityLevel ?? null,
    cvss_score: finding.cvssScore ?? null,
    exploitability_level: finding.exploitabilityLevel ?? null,
    fixing_update: finding.recommendedSecurityUpdate ?? null,
    fixing_update_id: finding.recommendedSecurityUpdateId ?? null,
    fixing_update_url: finding.recommendedSecurityUpdateUrl ?? null,
    update_available:
      finding.securityUpdateAvailable == null ? null : finding.securityUpdateAvailable ? 1 : 0,
    first_seen_raw: finding.firstSeenTimestamp?.raw ?? null,
    first_seen_at: finding.firstSeenTimestamp?.date.toISOString() ?? null,
    last_seen_raw: finding.lastSeenTimestamp?.raw ?? null,
    last_seen_at: finding.lastSeenTimestamp?.date.toISOString() ?? null,
    status: 'open',
    resolved_at: null,
    last_run_id: runId,
    raw: JSON.stringify(unmapped(finding), (_key, value: unknown) =>
      isTimestamp(value) ? value.raw : value,
    ),
    updated_at: now,
  };
}

/** Members that have a column of their own; the rest (paths, device context, new fields) stay in `raw`. */
const mappedMembers = new Set([
  'id',
  'deviceId',
  'cveId',
  'softwareVendor',
  'softwareName',
  'softwareVersion',
  'vulnerabilitySeverityLevel',
  'cvssScore',
  'exploitabilityLevel',
  'recommendedSecurityUpdate',
  'recommendedSecurityUpdateId',
  'recommendedSecurityUpdateUrl',
  'securityUpdateAvailable',
  'firstSeenTimestamp',
  'lastSeenTimestamp',
]);

/**
 * A finding row keeps only what its columns do not: millions of rows each repeating a kilobyte of JSON would
 * make the findings table several times larger than its data.
 */
function unmapped(finding: Finding): Record<string, unknown> {
  return Object.fromEntries(Object.entries(finding).filter(([key]) => !mappedMembers.has(key)));
}

function findingBatches(ctx: DatasetContext, endpoints: number): AsyncIterable<Batch<Finding>> {
  const signal = ctx.signal === undefined ? {} : { signal: ctx.signal };
  return endpoints > filesExportThreshold
    ? ctx.client.exportFiles.records(signal)
    : ctx.client.findings.exportJson({ pageSize: 200_000, ...signal });
}

/**
 * The software-vulnerability snapshot → findings (endpoint × CVE × software). Rows of devices that are not
 * endpoints, and software rows without a CVE, are counted and skipped. After a complete run, open findings not
 * seen are resolved with the date, within the removal bound.
 */
export const findingsDataset: Dataset = {
  name: 'findings',
  enabled: (integration) => integration.imports.vulnerabilities,
  async run(ctx) {
    const { integration, repos, runId, counters } = ctx;
    const machineIds = await repos.endpoints.machineIds(integration.id);
    const previous = await repos.findings.openCount(integration.id);
    for await (const batch of findingBatches(ctx, machineIds.size)) {
      const now = new Date().toISOString();
      counters.read(batch);
      const rows: NewFindingRow[] = [];
      for (const finding of batch.items) {
        if (finding.cveId == null) counters.skip(findingSkipReasons.noCve);
        else if (!machineIds.has(finding.deviceId)) counters.skip(findingSkipReasons.unknownDevice);
        else rows.push(toFindingRow(finding, integration.id, runId, now));
      }
      await repos.findings.upsertBatch(rows);
      counters.upserted += rows.length;
      ctx.progress(counters);
    }
    const unseen = await repos.findings.unseenOpenCount(integration.id, runId);
    const verdict = removalVerdict(unseen, previous, ctx.force, 'findings (resolved)');
    if (verdict.allowed)
      counters.removed = await repos.findings.resolveUnseen(integration.id, runId, new Date().toISOString());
    return { complete: true, completeness: `all pages read; ${verdict.note}` };
  },
};
