import type { Software } from '../../defender/index.js';
import type { SoftwareTable } from '../../store/schema.js';
import type { Insertable } from 'kysely';
import type { Dataset } from '../dataset.js';
import { storedRecordJson } from '../stored-record.js';

function toSoftwareRow(
  s: Software,
  integrationId: string,
  runId: number,
  now: string,
): Insertable<SoftwareTable> {
  const flag = (value: boolean | null | undefined): number | null => (value == null ? null : value ? 1 : 0);
  return {
    integration_id: integrationId,
    software_id: s.id,
    name: s.name ?? null,
    vendor: s.vendor ?? null,
    weaknesses: s.weaknesses ?? null,
    public_exploit: flag(s.publicExploit),
    active_alert: flag(s.activeAlert),
    exposed_machines: s.exposedMachines ?? null,
    installed_machines: s.installedMachines ?? null,
    impact_score: s.impactScore ?? null,
    end_of_support_status: s.endOfSupportStatus ?? null,
    end_of_support_date: s.endOfSupportDate?.raw ?? null,
    raw: storedRecordJson(s),
    run_id: runId,
    updated_at: now,
  };
}

/**
 * The software inventory (`/api/Software`) and, per product, the machines it is installed on
 * (`/api/Software/{id}/machineReferences`): one call per product and page, never one per machine, however large
 * the tenant. After a complete run, products Defender no longer lists are removed.
 */
export const softwareDataset: Dataset = {
  name: 'software',
  enabled: (integration) => integration.imports.software,
  async run(ctx) {
    const { integration, client, repos, counters, runId } = ctx;
    const signal = ctx.signal === undefined ? {} : { signal: ctx.signal };
    for await (const batch of client.software.list(signal)) {
      counters.read(batch);
      for (const product of batch.items) {
        const machines: string[] = [];
        for await (const refs of client.software.machineReferences(product.id, signal))
          for (const ref of refs.items) machines.push(ref.id);
        await repos.software.store(
          toSoftwareRow(product, integration.id, runId, new Date().toISOString()),
          machines,
        );
        counters.upserted++;
      }
      ctx.progress(counters);
    }
    counters.removed = await repos.software.removeUnseen(integration.id, runId);
    return { complete: true, completeness: 'all pages read' };
  },
};
