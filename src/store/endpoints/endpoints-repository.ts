import { sql } from 'kysely';
import { Repository, type Connection } from '../db/repository.js';
import { parseStringArray } from '../db/list-queries.js';
import { endpointsTable, putEndpoint, type EndpointRecord } from './endpoint-record.js';
import type { BulkWriter } from '../bulk/bulk-writer.js';
import { BulkRowWriter } from '../bulk/bulk-row-writer.js';

/** A run's pipelined writer of endpoints (`commit` per page, `flush` at the end). */
export type EndpointsWriter = BulkRowWriter<EndpointRecord>;

/** What a response action needs of an endpoint: where it lives and what its guardrails look at. */
export interface EndpointIdentity {
  readonly id: number;
  readonly integrationId: string;
  readonly machineId: string;
  readonly name: string | null;
  readonly deviceGroup: string | null;
  readonly tags: string[];
  /** Defender's onboardingStatus; response actions need `Onboarded`. */
  readonly onboardingStatus: string | null;
}

export class EndpointsRepository extends Repository {
  readonly #bulk: BulkWriter;

  constructor(connection: Connection, bulk: BulkWriter) {
    super(connection);
    this.#bulk = bulk;
  }

  /**
   * A pipelined writer for one run, on the bulk writer's thread: a page is stored while the next is read, with
   * prepared statements, and the API is never held up by it. `onStored` counts each committed page's rows.
   */
  writer(onStored: (count: number) => void): EndpointsWriter {
    return new BulkRowWriter(this.#bulk, endpointsTable, putEndpoint, onStored);
  }

  /** Endpoints of the integration that are not stale (the count a removal bound is measured against). */
  async activeCount(integrationId: string): Promise<number> {
    const row = await this.db
      .selectFrom('endpoints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('integration_id', '=', integrationId)
      .where('stale', '=', 0)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /** Active endpoints the run did not see: the candidates for marking stale. */
  async unseenCount(integrationId: string, runId: number): Promise<number> {
    const row = await this.db
      .selectFrom('endpoints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('integration_id', '=', integrationId)
      .where('stale', '=', 0)
      .where((eb) => eb.or([eb('last_run_id', 'is', null), eb('last_run_id', '!=', runId)]))
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /** Marks unseen endpoints stale (never deletes them); returns how many. */
  async markUnseenStale(integrationId: string, runId: number, now: string): Promise<number> {
    const result = await this.db
      .updateTable('endpoints')
      .set({ stale: 1, stale_since: now, updated_at: now })
      .where('integration_id', '=', integrationId)
      .where('stale', '=', 0)
      .where((eb) => eb.or([eb('last_run_id', 'is', null), eb('last_run_id', '!=', runId)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** The integration's endpoints by Defender machine id (for joining findings to stored endpoints). */
  async endpointIds(integrationId: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('endpoints')
      .select(['machine_id', 'id'])
      .where('integration_id', '=', integrationId)
      .execute();
    return new Map(rows.map((r) => [r.machine_id, r.id]));
  }

  async count(integrationId?: string): Promise<number> {
    let query = this.db.selectFrom('endpoints').select(sql<number>`count(*)`.as('n'));
    if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
    return (await query.executeTakeFirstOrThrow()).n;
  }

  async identities(ids: readonly number[]): Promise<Map<number, EndpointIdentity>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('endpoints')
      .select([
        'id',
        'integration_id',
        'machine_id',
        'computer_dns_name',
        'rbac_group_name',
        'machine_tags',
        'onboarding_status',
      ])
      .where('id', 'in', [...ids])
      .execute();
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          integrationId: r.integration_id,
          machineId: r.machine_id,
          name: r.computer_dns_name,
          deviceGroup: r.rbac_group_name,
          tags: parseStringArray(r.machine_tags),
          onboardingStatus: r.onboarding_status,
        },
      ]),
    );
  }
}
