import type { Connection } from '../db/repository.js';
import { Repository } from '../db/repository.js';
import { upsertChunkRows, upsertRows } from '../db/upsert.js';
import type { BulkWriter } from '../bulk/bulk-writer.js';
import { CatalogLinksRepository } from './catalog-links-repository.js';
import { softwareRow, type SoftwareRecord } from './software-record.js';

/** The CVE lists a findings run tallied, by software key (`vendor-_-name`, lower case), and that run's id. */
export interface FindingSoftwareCves {
  /** Undefined when nothing is stored (no CVE at all, or no findings run has tallied yet). */
  readonly runId: number | undefined;
  readonly cves: ReadonlyMap<string, readonly string[]>;
}

/** The software inventory per integration and the machines each product is installed on. */
export class SoftwareRepository extends Repository {
  /** The machines each product is installed on, and its CVEs. */
  readonly links: CatalogLinksRepository;

  constructor(connection: Connection, bulk: BulkWriter) {
    super(connection);
    this.links = new CatalogLinksRepository(connection, bulk, 'software', {
      table: 'software',
      key: 'software_id',
    });
  }

  async upsert(record: SoftwareRecord): Promise<void> {
    await upsertRows(this.db, 'software', [softwareRow(record)], ['integration_id', 'software_id']);
  }

  /**
   * Stores a findings run's tally in one transaction, so a reader sees one run's set. `replace` (a full read): it
   * replaces the previous one whole. `add` (a run of changes): it adds to the stored lists, which then stand for that
   * run; a fix does not take a CVE off a product's list (another device may still have it), so a list may hold one
   * more than Defender's count until the weekly full read, and the software run asks Defender for that product.
   */
  async storeFindingCves(
    integrationId: string,
    runId: number,
    byProduct: ReadonlyMap<string, ReadonlySet<string>>,
    how: 'replace' | 'add',
  ): Promise<void> {
    const rows = findingCveRows(integrationId, runId, byProduct);
    await this.db.transaction().execute(async (trx) => {
      if (how === 'replace')
        await trx.deleteFrom('finding_software_cves').where('integration_id', '=', integrationId).execute();
      else
        await trx
          .updateTable('finding_software_cves')
          .set({ run_id: runId })
          .where('integration_id', '=', integrationId)
          .execute();
      for (let i = 0; i < rows.length; i += upsertChunkRows)
        await trx
          .insertInto('finding_software_cves')
          .values(rows.slice(i, i + upsertChunkRows))
          .onConflict((oc) => oc.columns(['integration_id', 'software_key', 'cve_id']).doNothing())
          .execute();
    });
  }

  /** The integration's stored tally, read at once: one pair per product and CVE, not per machine. */
  async findingCves(integrationId: string): Promise<FindingSoftwareCves> {
    const rows = await this.db
      .selectFrom('finding_software_cves')
      .select(['software_key', 'cve_id', 'run_id'])
      .where('integration_id', '=', integrationId)
      .orderBy('software_key')
      .orderBy('cve_id')
      .execute();
    const cves = new Map<string, string[]>();
    for (const row of rows) {
      const list = cves.get(row.software_key);
      if (list === undefined) cves.set(row.software_key, [row.cve_id]);
      else list.push(row.cve_id);
    }
    return { runId: rows[0]?.run_id, cves };
  }
}

function findingCveRows(
  integrationId: string,
  runId: number,
  byProduct: ReadonlyMap<string, ReadonlySet<string>>,
) {
  return [...byProduct].flatMap(([softwareKey, cves]) =>
    [...cves].map((cveId) => ({
      integration_id: integrationId,
      software_key: softwareKey,
      cve_id: cveId,
      run_id: runId,
    })),
  );
}
