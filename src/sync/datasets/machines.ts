import type { Machine } from '../../defender/index.js';
import { storedRecordJson } from '../stored-record.js';
import type { Dataset } from '../dataset.js';
import { reconcile } from '../reconcile.js';
import { endpointDropReason } from '../endpoint-filter.js';
import { refreshEndpointRisk } from '../endpoint-risk.js';
import type { ProfileService } from '../../profiles/profile-service.js';
import type { NewEndpointRow, Repositories } from '../../store/index.js';

/** The endpoints it writes, their risk and profiles it refreshes, and the trend and upkeep that follow. */
export type MachinesDeps = Pick<Repositories, 'endpoints' | 'endpointRisk' | 'snapshots' | 'maintenance'> & {
  readonly profileService: Pick<ProfileService, 'refreshIntegration'>;
};

function toEndpointRow(machine: Machine, integrationId: string, runId: number, now: string): NewEndpointRow {
  return {
    integration_id: integrationId,
    machine_id: machine.id,
    computer_dns_name: machine.computerDnsName ?? null,
    os_platform: machine.osPlatform ?? null,
    os_version: machine.osVersion ?? null,
    os_build: machine.osBuild ?? null,
    version: machine.version ?? null,
    health_status: machine.healthStatus ?? null,
    onboarding_status: machine.onboardingStatus ?? null,
    risk_score: machine.riskScore ?? null,
    exposure_level: machine.exposureLevel ?? null,
    device_value: machine.deviceValue ?? null,
    rbac_group_id: machine.rbacGroupId == null ? null : String(machine.rbacGroupId),
    rbac_group_name: machine.rbacGroupName ?? null,
    aad_device_id: machine.aadDeviceId ?? null,
    last_ip_address: machine.lastIpAddress ?? null,
    last_external_ip_address: machine.lastExternalIpAddress ?? null,
    machine_tags: JSON.stringify(machine.machineTags ?? []),
    ip_addresses: JSON.stringify(machine.ipAddresses ?? []),
    first_seen_raw: machine.firstSeen?.raw ?? null,
    last_seen_raw: machine.lastSeen?.raw ?? null,
    last_seen_at: machine.lastSeen?.date.toISOString() ?? null,
    raw: storedRecordJson(machine),
    stale: 0,
    stale_since: null,
    last_run_id: runId,
    created_at: now,
    updated_at: now,
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
    for await (const batch of client.machines.list({
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    })) {
      const now = new Date().toISOString();
      counters.read(batch);
      const rows: NewEndpointRow[] = [];
      for (const machine of batch.items) {
        const drop = endpointDropReason(machine, integration.filters);
        if (drop === undefined) rows.push(toEndpointRow(machine, integration.id, runId, now));
        else counters.skip(drop);
      }
      await deps.endpoints.upsertBatch(rows);
      counters.upserted += rows.length;
      ctx.progress(counters);
    }
    const { note } = await reconcile(ctx, {
      what: 'endpoints (marked stale)',
      unseen: await deps.endpoints.unseenCount(integration.id, runId),
      of: previous,
      remove: () => deps.endpoints.markUnseenStale(integration.id, runId, new Date().toISOString()),
    });
    // Defender's riskScore and exposureLevel are two of the risk parts; every endpoint was touched.
    await refreshEndpointRisk(deps.endpointRisk, integration.id, 'all', { alerts: true });
    await deps.profileService.refreshIntegration(integration.id, integration.enabled);
    await deps.snapshots.refreshRisk(integration.id, new Date());
    await deps.maintenance.afterRewrite(['endpoints']);
    return { complete: true, completeness: `all pages read; ${note}` };
  },
};
