import { type Batch, DefenderError, type Finding } from '../../defender/index.js';
import { type Dataset, type DatasetContext, signalOption } from '../dataset.js';
import { reconcile } from '../reconcile.js';
import { storePages } from '../write-pages.js';
import { isTimestamp } from '../stored-record.js';
import { ExposureTally, recountEndpointExposure, refreshEndpointRisk } from '../endpoint-risk.js';
import {
  type FindingsCursor,
  type FindingsReadPlan,
  parseFindingsCursor,
  planFindingsRead,
} from '../findings-cursor.js';
import { patchKey } from '../../domain/patch-metadata.js';
import { PatchTally } from '../patch-tally.js';
import { SoftwareCveTally } from '../software-cves.js';
import { UnimportedDevices } from '../unimported-devices.js';
import { SeverityTally } from '../severity-tally.js';
import type { FindingRecord, FindingsWriter, Repositories } from '../../store/index.js';

/**
 * The findings it writes and the endpoints they link to, then what they are counted into: devices that are not
 * endpoints, CVE exposure, the software's CVE lists, patches, endpoint risk, the trend and the upkeep; and its
 * cursor.
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
  | 'cursors'
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

/** A row naming its fix has an update: the delta export leaves `securityUpdateAvailable` out. */
function namesFix(finding: Finding): boolean {
  return finding.recommendedSecurityUpdate != null || finding.recommendedSecurityUpdateId != null;
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
    updateAvailable: finding.securityUpdateAvailable ?? (namesFix(finding) ? true : null),
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
  // The delta export's event: what happened to the row, not what it is.
  'status',
  'eventTimestamp',
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

type FindingsContext = DatasetContext<FindingsDeps>;

/** Where each finding of a run goes: stored, and counted into what the run refreshes after. */
interface FindingSinks {
  readonly writer: FindingsWriter;
  readonly endpointIds: ReadonlyMap<string, number>;
  readonly softwareCves: SoftwareCveTally;
  readonly unimported: UnimportedDevices;
}

async function openSinks(ctx: FindingsContext): Promise<FindingSinks> {
  const { deps, integration, counters } = ctx;
  return {
    endpointIds: await deps.endpoints.endpointIds(integration.id),
    softwareCves: new SoftwareCveTally(),
    unimported: new UnimportedDevices(),
    writer: deps.findings.writer((stored) => {
      counters.upserted += stored;
      ctx.progress(counters);
    }),
  };
}

/** Keeps the devices that are not endpoints, then recounts the exposure per CVE and the products' CVE lists. */
async function refreshDevicesAndExposure(
  ctx: FindingsContext,
  sinks: FindingSinks,
  cves: 'replace' | 'add',
): Promise<void> {
  const { counters, deps, integration, runId } = ctx;
  await counters.timed('devices not imported', () =>
    deps.findingDevices.replace(
      integration.id,
      sinks.unimported.records(integration.id, runId, new Date().toISOString()),
    ),
  );
  await counters.timed('CVE exposure', () => deps.findings.refreshExposure(integration.id));
  await counters.timed('software CVE lists', () =>
    deps.software.storeFindingCves(integration.id, runId, sinks.softwareCves.byProduct(), cves),
  );
}

/**
 * Today's trend point (the findings run changes counts across the board), then the upkeep after a rewrite: after
 * a full read, the findings' statistics too.
 */
async function trendAndUpkeep(ctx: FindingsContext, full: boolean, counts?: SeverityTally): Promise<void> {
  const { counters, deps, integration } = ctx;
  await counters.timed('trend', () =>
    deps.snapshots.take(
      integration.id,
      new Date(),
      counts === undefined ? {} : { openFindingsBySeverity: counts.counts },
    ),
  );
  await counters.timed('upkeep', async () => {
    await deps.maintenance.afterRewrite(['endpoints', 'patches']);
    if (full) await deps.maintenance.refreshStatistics(['findings']);
  });
}

/**
 * The full snapshot. After it, open findings not seen are resolved with the date, within the removal bound; when
 * none stays open unseen, what the run tallied is the whole truth (patches, endpoint exposure, the trend's counts);
 * otherwise they are recounted from the stored open findings.
 */
async function readAll(ctx: FindingsContext): Promise<string> {
  const { integration, deps, runId, counters } = ctx;
  const sinks = await openSinks(ctx);
  const { endpointIds, softwareCves, unimported, writer } = sinks;
  const knownDevices = endpointIds.size + (await deps.findingDevices.count(integration.id));
  const previous = await deps.findings.openCount(integration.id);
  const exposure = new ExposureTally();
  const patches = new PatchTally();
  const severities = new SeverityTally();
  await storePages(ctx, writer, findingBatches(ctx, knownDevices), writeBatchRows, (batch, now) => {
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
  });
  const { removed, note } = await counters.timed('resolve unseen', async () =>
    reconcile(ctx, {
      what: 'findings (resolved)',
      unseen: await deps.findings.unseenOpenCount(integration.id, runId),
      of: previous,
      remove: () => deps.findings.resolveUnseen(integration.id, runId, new Date().toISOString()),
    }),
  );
  await refreshDevicesAndExposure(ctx, sinks, 'replace');
  const replace = removed;
  const now = new Date().toISOString();
  await counters.timed('patches', () =>
    replace
      ? deps.patches.replace(integration.id, patches.records(integration.id, now))
      : deps.patches.refresh(integration.id, now),
  );
  await counters.timed('endpoint risk', () =>
    refreshEndpointRisk(deps.endpointRisk, integration.id, 'all', { exposure: { tally: exposure, replace } }),
  );
  await trendAndUpkeep(ctx, true, replace ? severities : undefined);
  return `all pages read; ${note}; ${devicesNote(unimported.size)}`;
}

/**
 * The changes since the last run: New and Updated rows are stored as a full read stores them, Fixed ones resolve
 * their finding once every change is stored. A finding's events count in the order of their time: a device that
 * moved device group has a Fixed row under its old group and a New one under the new, and the New one wins a tie.
 * What the changes touch is then recounted from the stored open findings: exposure per CVE, patches, and the
 * exposure of each endpoint with a change. Memory grows with the changes, never with the tenant.
 */
async function readChanges(ctx: FindingsContext, since: string): Promise<string> {
  const { integration, deps, runId, counters } = ctx;
  const sinks = await openSinks(ctx);
  const { endpointIds, softwareCves, unimported, writer } = sinks;
  const openedAt = new Map<string, number>();
  const fixedAt = new Map<string, number>();
  const touched = new Set<string>();
  const changes = ctx.client.findings.changes(since, { pageSize: 200_000, ...signalOption(ctx) });
  await storePages(ctx, writer, changes, writeBatchRows, (batch, now) => {
    for (const finding of batch.items) {
      const at = eventTime(finding);
      touched.add(finding.deviceId);
      if (finding.status === 'Fixed') {
        const opened = openedAt.get(finding.id);
        if (opened === undefined || opened < at) fixedAt.set(finding.id, at);
        continue;
      }
      if ((fixedAt.get(finding.id) ?? Infinity) <= at) fixedAt.delete(finding.id);
      openedAt.set(finding.id, at);
      const imported = endpointIds.has(finding.deviceId);
      writer.add(toFindingRecord(finding, integration.id, runId, now, findingPatchKey(finding), imported));
      softwareCves.add(finding);
      if (!imported) unimported.add(finding);
    }
  });
  const resolved = await counters.timed('resolve fixed', () =>
    deps.findings.resolveKeys(integration.id, [...fixedAt.keys()], new Date().toISOString()),
  );
  counters.removed += resolved;
  await refreshDevicesAndExposure(ctx, sinks, 'add');
  await counters.timed('patches', () => deps.patches.refresh(integration.id, new Date().toISOString()));
  await counters.timed('endpoint risk', () =>
    recountEndpointExposure(deps.endpointRisk, integration.id, touched),
  );
  await trendAndUpkeep(ctx, false);
  return `changes since ${since} read: ${openedAt.size} new or updated, ${resolved} fixed; ${devicesNote(unimported.size)}`;
}

/**
 * Reads as planned. Changes the service will not give (it keeps 14 days on its own clock, which may run ahead of
 * ours) fall back to the full export. `fullAt`: when the last full read was, if not this run.
 */
async function readPlanned(
  ctx: FindingsContext,
  plan: FindingsReadPlan,
): Promise<{ readonly outcome: string; readonly fullAt?: string }> {
  if (plan.kind === 'full') return { outcome: `full export (${plan.why}); ${await readAll(ctx)}` };
  try {
    const outcome = await readChanges(ctx, plan.cursor.since);
    return { outcome: `${outcome}; the full export is read weekly`, fullAt: plan.cursor.fullAt };
  } catch (error) {
    if (!(error instanceof DefenderError) || error.status !== 400 || ctx.counters.pages > 0) throw error;
    const why = `the service refused the changes since ${plan.cursor.since}: ${error.message}`;
    return { outcome: `full export (${why}); ${await readAll(ctx)}` };
  }
}

/** When the change happened, for ordering a finding's events (a row without a time sorts first). */
function eventTime(finding: Finding): number {
  return finding.eventTimestamp?.date.getTime() ?? -Infinity;
}

/** The service's time when the run started reading: its clock as its answers tell it, less the time since. */
async function serviceTimeAt(ctx: FindingsContext, startedMs: number): Promise<string> {
  const now = await ctx.client.serverNow(signalOption(ctx));
  return new Date(now.getTime() - (Date.now() - startedMs)).toISOString();
}

/**
 * The software-vulnerability findings (device × CVE × software), every row stored whether or not its device is an
 * endpoint: a device may be filtered out, or the token may lack Machine.Read.All, and its findings still count in
 * patches and CVE exposure (the endpoint views join endpoints, so they show only endpoints). Rows without a CVE
 * (software with no known vulnerability) are kept. The full snapshot on the first run, weekly and when asked for;
 * in between, the changes since the last run (Microsoft's guidance for the delta export). It needs no machines run:
 * rows link to whatever endpoints are stored. Only a run that ends well moves the cursor.
 */
export const findingsDataset: Dataset<FindingsDeps> = {
  name: 'findings',
  enabled: (integration) => integration.imports.vulnerabilities,
  async run(ctx) {
    const { deps, integration } = ctx;
    const startedMs = Date.now();
    const readAt = new Date(startedMs).toISOString();
    const cursor = parseFindingsCursor(await deps.cursors.get(integration.id, cursorName));
    const plan = planFindingsRead(cursor, new Date(startedMs), ctx.full);
    const { outcome, fullAt } = await readPlanned(ctx, plan);
    const next: FindingsCursor = {
      since: await serviceTimeAt(ctx, startedMs),
      readAt,
      fullAt: fullAt ?? readAt,
    };
    await deps.cursors.set(integration.id, cursorName, JSON.stringify(next), new Date().toISOString());
    return { complete: true, completeness: outcome };
  },
};

const cursorName = 'findings';

/** What the run says of the devices that are not endpoints: their findings are stored and counted, not skipped. */
function devicesNote(devices: number): string {
  return devices === 0
    ? 'every device with a vulnerability is an endpoint'
    : `${devices} ${devices === 1 ? 'device' : 'devices'} with vulnerabilities not imported as endpoints: their findings count in patches and CVE exposure`;
}
