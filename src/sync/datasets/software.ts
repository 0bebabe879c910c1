import type { Software } from '../../defender/index.js';
import type { SoftwareTable } from '../../store/schema.js';
import type { Insertable } from 'kysely';
import type { Dataset } from '../dataset.js';
import { storedFlag, storedRecordJson } from '../stored-record.js';
import { syncCatalog } from '../catalog-sync.js';

function toSoftwareRow(
  s: Software,
  integrationId: string,
  runId: number,
  now: string,
): Insertable<SoftwareTable> {
  return {
    integration_id: integrationId,
    software_id: s.id,
    name: s.name ?? null,
    vendor: s.vendor ?? null,
    weaknesses: s.weaknesses ?? null,
    public_exploit: storedFlag(s.publicExploit),
    active_alert: storedFlag(s.activeAlert),
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
 * (`/api/Software/{id}/machineReferences`) and its CVEs (`/api/Software/{id}/vulnerabilities`): calls per product
 * and page, never one per machine, however large the tenant. After a complete run, products Defender no longer lists are removed.
 */
export const softwareDataset: Dataset = {
  name: 'software',
  enabled: (integration) => integration.imports.software,
  run(ctx) {
    const { integration, client, repos, runId } = ctx;
    const signal = ctx.signal === undefined ? {} : { signal: ctx.signal };
    return syncCatalog(ctx, {
      items: client.software.list(signal),
      targets: [
        { kind: 'machine', read: (id) => client.software.machineReferences(id, signal) },
        { kind: 'vulnerability', read: (id) => client.software.vulnerabilities(id, signal) },
      ],
      store: (product) =>
        repos.software.upsert(toSoftwareRow(product, integration.id, runId, new Date().toISOString())),
      links: repos.software.links,
      what: 'software products',
    });
  },
};
