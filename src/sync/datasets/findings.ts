import type { Batch, Finding } from '../../defender/index.js';
import { type Dataset, type DatasetContext, signalOption } from '../dataset.js';
import { reconcile } from '../reconcile.js';
import { isTimestamp } from '../stored-record.js';
import { ExposureTally, refreshEndpointRisk } from '../endpoint-risk.js';
import { patchKey } from '../../domain/patch-metadata.js';
import { PatchTally } from '../patch-tally.js';
import { SoftwareCveTally } from '../software-cves.js';
import { UnimportedDevices } from '../unimported-devices.js';
import { SeverityTally } from '../severity-tally.js';
import type { FindingRecord, Repositories } from '../../store/index.js';

/**
 * The findings it writes and the endpoints they link to, then what they are counted into: devices that are not
 * endpoints, CVE exposure, the software's CVE lists, patches, endpoint risk, the trend and the upkeep.
 */
export type FindingsDeps = Pick<
  Repositories,
  | 'endpoints'
  | 'findings'
  | 'findingDevices'
  | 'software'
  | 'patches'
  | 'endpointRisk'
  | 'snapshots'
  | 'maintenance'
>;

/** Above this many devices the via-files export is used: Microsoft recommends it past ~100,000 devices. */
export const filesExportThreshold = 100_000;

/**
 * Rows per write transaction. Each commit rewrites the index pages it touched, so larger transactions store
 * faster (SQLite: about 1.5 times at 5,000 rows as at 1,000); the writer holds one such batch in memory.
 */
export const writeBatchRows = 5000;

function findingPatchKey(finding: Finding): string | null {
  return patchKey({
    softwareVendor: finding.softwareVendor ?? null,
    softwareName: finding.softwareName ?? null,
    fixingUpdate: finding.recommendedSecurityUpdate ?? null,
    fixingUpdateId: finding.recommendedSecurityUpdateId ?? null,
  });
}

function toFindingRecord(
  finding: Finding,
  integrationId: string,
  runId: number,
  now: string,
  patch: string | null,
  imported: boolean,
): FindingRecord {
  return {
    integrationId,
    findingKey: finding.id,
    machineId: finding.deviceId,
    cveId: finding.cveId ?? null,
    softwareVendor: finding.softwareVendor ?? null,
    softwareName: finding.softwareName ?? null,
    softwareVersion: finding.softwareVersion ?? null,
    severity: finding.vulnerabilitySeverityLevel ?? null,
    cvssScore: finding.cvssScore ?? null,
    exploitabilityLevel: finding.exploitabilityLevel ?? null,
    fixingUpdate: finding.recommendedSecurityUpdate ?? null,
    fixingUpdateId: finding.recommendedSecurityUpdateId ?? null,
    fixingUpdateUrl: finding.recommendedSecurityUpdateUrl ?? null,
    updateAvailable: finding.securityUpdateAvailable ?? null,
    firstSeenRaw: finding.firstSeenTimestamp?.raw ?? null,
    firstSeenAt: finding.firstSeenTimestamp?.date.toISOString() ?? null,
    lastSeenRaw: finding.lastSeenTimestamp?.raw ?? null,
    lastSeenAt: finding.lastSeenTimestamp?.date.toISOString() ?? null,
    raw: JSON.stringify(unmapped(finding)),
    patchKey: patch,
    imported,
    runId,
    updatedAt: now,
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
  const rest: Record<string, unknown> = {};
  for (const key in finding) {
    if (mappedMembers.has(key)) continue;
    const value: unknown = finding[key];
    // A parsed timestamp goes back to Defender's own string.
    rest[key] = isTimestamp(value) ? value.raw : value;
  }
  return rest;
}

function findingBatches(ctx: DatasetContext<unknown>, devices: number): AsyncIterable<Batch<Finding>> {
  const signal = signalOption(ctx);
  return devices > filesExportThreshold
    ? ctx.client.exportFiles.records(signal)
    : ctx.client.findings.exportJson({ pageSize: 200_000, ...signal });
}

/**
 * The software-vulnerability snapshot → findings (device × CVE × software), every row stored whether or not its
 * device is an endpoint: a device may be filtered out, or the token may lack Machine.Read.All, and its findings
 * still count in patches and CVE exposure (the endpoint views join endpoints, so they show only endpoints). Rows
 * without a CVE (software with no known vulnerability) are kept. After a complete run, open findings not seen are
 * resolved with the date, within the removal bound, the exposure per CVE is recounted, the devices that are not
 * endpoints are kept for display, and the CVEs of each product, tallied over every row, are kept for the software
 * run. It needs no machines run: rows link to whatever endpoints are stored.
 */
export const findingsDataset: Dataset<FindingsDeps> = {
  name: 'findings',
  enabled: (integration) => integration.imports.vulnerabilities,
  async run(ctx) {
    const { integration, deps, runId, counters } = ctx;
    const endpointIds = await deps.endpoints.endpointIds(integration.id);
    const knownDevices = endpointIds.size + (await deps.findingDevices.count(integration.id));
    const previous = await deps.findings.openCount(integration.id);
    const exposure = new ExposureTally();
    const patches = new PatchTally();
    const softwareCves = new SoftwareCveTally();
    const unimported = new UnimportedDevices();
    const severities = new SeverityTally();
    const writer = deps.findings.writer((stored) => {
      counters.upserted += stored;
      ctx.progress(counters);
    });
    try {
      for await (const batch of counters.timedBatches('read', findingBatches(ctx, knownDevices))) {
        const now = new Date().toISOString();
        counters.read(batch);
        const mapping = performance.now();
        const patchKeys = batch.items.map(findingPatchKey);
        batch.items.forEach((finding, i) => {
          const imported = endpointIds.has(finding.deviceId);
          writer.add(toFindingRecord(finding, integration.id, runId, now, patchKeys[i] ?? null, imported));
        });
        const tallying = performance.now();
        counters.time('map', tallying - mapping);
        batch.items.forEach((finding, i) => {
          // Every row, the devices not imported included: a product's CVE list is tenant-wide in Defender too.
          softwareCves.add(finding);
          severities.add(finding);
          const endpointId = endpointIds.get(finding.deviceId);
          const patch = patchKeys[i];
          if (patch != null) patches.add(patch, finding, endpointId);
          // Only endpoints have a risk level: the exposure tally keeps a number per endpoint, no more.
          if (endpointId === undefined) unimported.add(finding);
          else exposure.add(finding);
        });
        counters.time('tally', performance.now() - tallying);
        if (writer.buffered >= writeBatchRows)
          await counters.timed('wait for the writer', () => writer.commit());
        ctx.progress(counters);
      }
      await counters.timed('wait for the writer', async () => {
        await writer.commit();
        await writer.flush();
      });
    } finally {
      await writer.settle();
      counters.time('write', writer.writeMs);
    }
    const { removed, note } = await counters.timed('resolve unseen', async () =>
      reconcile(ctx, {
        what: 'findings (resolved)',
        unseen: await deps.findings.unseenOpenCount(integration.id, runId),
        of: previous,
        remove: () => deps.findings.resolveUnseen(integration.id, runId, new Date().toISOString()),
      }),
    );
    await counters.timed('devices not imported', () =>
      deps.findingDevices.replace(
        integration.id,
        unimported.records(integration.id, runId, new Date().toISOString()),
      ),
    );
    await counters.timed('CVE exposure', () => deps.findings.refreshExposure(integration.id));
    await counters.timed('software CVE lists', () =>
      deps.software.replaceFindingCves(integration.id, runId, softwareCves.byProduct()),
    );
    // The run saw every open finding only when nothing unseen stays open: then what it tallied is the whole
    // truth; otherwise the patches are recounted from the stored open findings.
    const replace = removed;
    const now = new Date().toISOString();
    await counters.timed('patches', () =>
      replace
        ? deps.patches.replace(integration.id, patches.records(integration.id, now))
        : deps.patches.refresh(integration.id, now),
    );
    await counters.timed('endpoint risk', () =>
      refreshEndpointRisk(deps.endpointRisk, integration.id, 'all', {
        exposure: { tally: exposure, replace },
      }),
    );
    // Today's trend point: the findings run is the one that changes counts across the board.
    // When the run saw every open finding, it counted them by severity as they came.
    await counters.timed('trend', () =>
      deps.snapshots.take(
        integration.id,
        new Date(),
        replace ? { openFindingsBySeverity: severities.counts } : {},
      ),
    );
    await counters.timed('upkeep', () => deps.maintenance.afterRewrite(['endpoints', 'patches']));
    return {
      complete: true,
      completeness: `all pages read; ${note}; ${devicesNote(unimported.size)}`,
    };
  },
};

/** What the run says of the devices that are not endpoints: their findings are stored and counted, not skipped. */
function devicesNote(devices: number): string {
  return devices === 0
    ? 'every device with a vulnerability is an endpoint'
    : `${devices} ${devices === 1 ? 'device' : 'devices'} with vulnerabilities not imported as endpoints: their findings count in patches and CVE exposure`;
}
