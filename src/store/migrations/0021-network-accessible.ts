import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db/dialect.js';

/**
 * Whether a CVE is reachable over the network (its CVSS vector's `AV:N`, domain/attack-vector.ts): on the CVE
 * catalog (1, 0, or null when the vector names no attack vector) and on each patch (1 when any CVE it fixes is,
 * else 0), for filters and the `Defender.NetworkAccessible` strategy field. Rows already stored are filled in
 * from the vector in the catalog record kept as received, by the domain's rule written in SQL, so the filters
 * answer before the next catalog run.
 */
export function up(dialect: Dialect) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('vulnerabilities').addColumn('network_accessible', 'integer').execute();
    await db.schema
      .alterTable('patches')
      .addColumn('network_accessible', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    const vector =
      dialect === 'sqlite'
        ? sql`json_extract(raw, '$.cvssVector')`
        : sql`cast(raw as jsonb) ->> 'cvssVector'`;
    // Each metric between slashes, the first and last included; upper() as the rule ignores case.
    const metrics = sql`'/' || upper(trim(${vector})) || '/'`;
    await sql`update vulnerabilities set network_accessible = case
        when ${metrics} like '%/AV:N/%' then 1
        when ${metrics} like '%/AV:A/%' or ${metrics} like '%/AV:L/%' or ${metrics} like '%/AV:P/%' then 0
      end`.execute(db);
    const cves =
      dialect === 'sqlite'
        ? sql`json_each(patches.cves) as c`
        : sql`jsonb_array_elements_text(cast(patches.cves as jsonb)) as c(value)`;
    await sql`update patches set network_accessible = 1 where exists (
        select 1 from ${cves}
        inner join vulnerabilities as v on v.integration_id = patches.integration_id and v.cve_id = c.value
        where v.network_accessible = 1)`.execute(db);
  };
}
