import { type Dataset, signalOption } from '../dataset.js';
import { storedRecordJson } from '../stored-record.js';
import { writePages } from '../write-pages.js';
import { isNetworkAccessible } from '../../domain/attack-vector.js';
import type { Repositories } from '../../store/index.js';

/** The CVE catalog it writes, and the patches whose network-accessible flag follows it. */
export type VulnerabilitiesDeps = Pick<Repositories, 'vulnerabilities' | 'patches'>;

const flag = (value: boolean | null | undefined): number => (value === true ? 1 : 0);
const knownFlag = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

/**
 * The tenant's CVE catalog: upserted whole each run; entries are never removed (findings reference them). Each
 * CVE's attack vector is read from its CVSS vector, and the patches' Defender.NetworkAccessible follows it.
 */
export const vulnerabilitiesDataset: Dataset<VulnerabilitiesDeps> = {
  name: 'vulnerabilities',
  enabled: (integration) => integration.imports.vulnerabilities,
  async run(ctx) {
    const { integration, deps } = ctx;
    await writePages(ctx, ctx.client.vulnerabilities.list(signalOption(ctx)), async (items, now) => {
      await deps.vulnerabilities.upsertBatch(
        items.map((v) => ({
          integration_id: integration.id,
          cve_id: v.id,
          name: v.name ?? null,
          description: v.description ?? null,
          severity: v.severity ?? null,
          cvss_v3: v.cvssV3 ?? null,
          public_exploit: flag(v.publicExploit),
          exploit_verified: flag(v.exploitVerified),
          exploit_in_kit: flag(v.exploitInKit),
          epss: v.epss ?? null,
          network_accessible: knownFlag(isNetworkAccessible(v.cvssVector)),
          published_on: v.publishedOn?.date.toISOString() ?? null,
          updated_on: v.updatedOn?.date.toISOString() ?? null,
          raw: storedRecordJson(v),
          updated_at: now,
        })),
      );
      return items.length;
    });
    await deps.patches.recountNetworkAccessible(integration.id);
    return { complete: true, completeness: 'all pages read; the catalog keeps every entry' };
  },
};
