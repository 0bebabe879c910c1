import type { Machine } from '../../defender/index.js';
import { storedRecordJson } from '../stored-record.js';
import { removalVerdict, type Dataset } from '../dataset.js';
import { endpointDropReason } from '../endpoint-filter.js';
import { refreshEndpointRisk } from '../endpoint-risk.js';
import { ProfileService } from '../../profiles/profile-service.js';
import type { NewEndpointRow } from '../../store/index.js';

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
export const machinesDataset: Dataset = {
  name: 'machines',
  enabled: (integration) => integration.imports.assets,
  async run(ctx) {
    const { integration, client, repos, runId, counters } = ctx;
    const previous = await repos.endpoints.activeCount(integration.id);
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
      await repos.endpoints.upsertBatch(rows);
      counters.upserted += rows.length;
      ctx.progress(counters);
    }
    const unseen = await repos.endpoints.unseenCount(integration.id, runId);
    const verdict = removalVerdict(unseen, previous, ctx.force, 'endpoints (marked stale)');
    if (verdict.allowed)
      counters.removed = await repos.endpoints.markUnseenStale(
        integration.id,
        runId,
        new Date().toISOString(),
      );
    // Defender's riskScore and exposureLevel are two of the risk parts; every endpoint was touched.
    await refreshEndpointRisk(repos.endpointRisk, integration.id, 'all', { alerts: true });
    await new ProfileService(repos.profiles, repos.integrations).refreshIntegration(
      integration.id,
      integration.enabled,
    );
    await repos.snapshots.refreshRisk(integration.id, new Date());
    await repos.maintenance.afterRewrite(['endpoints']);
    return { complete: true, completeness: `all pages read; ${verdict.note}` };
  },
};
