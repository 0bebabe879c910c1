import type { Machine } from '../../defender/index.js';
import { storedRecordJson } from '../stored-record.js';
import { type Dataset, signalOption } from '../dataset.js';
import { reconcile } from '../reconcile.js';
import { storePages } from '../write-pages.js';
import { endpointDropReason } from '../endpoint-filter.js';
import { refreshEndpointRisk } from '../endpoint-risk.js';
import type { ProfileService } from '../../profiles/profile-service.js';
import type { EndpointRecord, Repositories } from '../../store/index.js';

/** The endpoints it writes, their risk and profiles it refreshes, and the trend and upkeep that follow. */
export type MachinesDeps = Pick<Repositories, 'endpoints' | 'endpointRisk' | 'snapshots' | 'maintenance'> & {
  readonly profileService: Pick<ProfileService, 'refreshIntegration'>;
};

function toEndpointRecord(
  machine: Machine,
  integrationId: string,
  runId: number,
  now: string,
): EndpointRecord {
  return {
    integrationId,
    machineId: machine.id,
    computerDnsName: machine.computerDnsName ?? null,
    osPlatform: machine.osPlatform ?? null,
    osVersion: machine.osVersion ?? null,
    osBuild: machine.osBuild ?? null,
    version: machine.version ?? null,
    healthStatus: machine.healthStatus ?? null,
    onboardingStatus: machine.onboardingStatus ?? null,
    riskScore: machine.riskScore ?? null,
    exposureLevel: machine.exposureLevel ?? null,
    deviceValue: machine.deviceValue ?? null,
    rbacGroupId: machine.rbacGroupId == null ? null : String(machine.rbacGroupId),
    rbacGroupName: machine.rbacGroupName ?? null,
    aadDeviceId: machine.aadDeviceId ?? null,
    lastIpAddress: machine.lastIpAddress ?? null,
    lastExternalIpAddress: machine.lastExternalIpAddress ?? null,
    machineTags: machine.machineTags ?? [],
    ipAddresses: machine.ipAddresses ?? [],
    firstSeenRaw: machine.firstSeen?.raw ?? null,
    lastSeenRaw: machine.lastSeen?.raw ?? null,
    lastSeenAt: machine.lastSeen?.date.toISOString() ?? null,
    raw: storedRecordJson(machine),
    runId,
    updatedAt: now,
  };
}

/**
 * Defender machines → endpoints. Dropped machines are counted per reason; after a complete run, endpoints not
 * seen are marked stale (never deleted), within the removal bound.
 */
export const machinesDataset: Dataset<MachinesDeps> = {
  name: 'machines',
  enabled: (integration) => integration.imports.assets,
  async run(ctx) {
    const { integration, client, deps, runId, counters } = ctx;
    const previous = await deps.endpoints.activeCount(integration.id);
    const writer = deps.endpoints.writer((stored) => {
      counters.upserted += stored;
      ctx.progress(counters);
    });
    // Each page is committed as it is read: stored while the next page is read.
    await storePages(ctx, writer, client.machines.list(signalOption(ctx)), 1, (batch, now) => {
      for (const machine of batch.items) {
        const drop = endpointDropReason(machine, integration.filters);
        if (drop === undefined) writer.add(toEndpointRecord(machine, integration.id, runId, now));
        else counters.skip(drop);
      }
    });
    const { note } = await counters.timed('mark unseen stale', async () =>
      reconcile(ctx, {
        what: 'endpoints (marked stale)',
        unseen: await deps.endpoints.unseenCount(integration.id, runId),
        of: previous,
        remove: () => deps.endpoints.markUnseenStale(integration.id, runId, new Date().toISOString()),
      }),
    );
    // Defender's riskScore and exposureLevel are two of the risk parts; every endpoint was touched.
    await counters.timed('endpoint risk', () =>
      refreshEndpointRisk(deps.endpointRisk, integration.id, 'all', { alerts: true }),
    );
    await counters.timed('profiles', () =>
      deps.profileService.refreshIntegration(integration.id, integration.enabled),
    );
    await counters.timed('trend', () => deps.snapshots.refreshRisk(integration.id, new Date()));
    await counters.timed('upkeep', () => deps.maintenance.afterRewrite(['endpoints']));
    return { complete: true, completeness: `all pages read; ${note}` };
  },
};
