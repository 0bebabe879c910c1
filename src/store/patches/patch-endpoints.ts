import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../db/dialect.js';

/**
 * The endpoints of the patch aliased `p`, as a relation aliased `pe`, and the expression of one endpoint's id in
 * it: a patch keeps its endpoints as a JSON array (`patches.endpoint_ids`), read here by each database's JSON
 * table function (both let it refer to `p` from earlier in the FROM list).
 */
export function patchEndpointsOf(dialect: Dialect): {
  from: RawBuilder<unknown>;
  endpointId: RawBuilder<number>;
} {
  return dialect === 'sqlite'
    ? { from: sql`json_each(p.endpoint_ids) as pe`, endpointId: sql`pe.value` }
    : {
        from: sql`jsonb_array_elements_text(p.endpoint_ids::jsonb) as pe(value)`,
        endpointId: sql`pe.value::bigint`,
      };
}

/** `patches as p`, each joined to its endpoints `e`: the pairs a strategy's condition is evaluated over. */
export function patchEndpointPairs(dialect: Dialect): RawBuilder<unknown> {
  const { from, endpointId } = patchEndpointsOf(dialect);
  return sql`patches as p cross join ${from} inner join endpoints as e on e.id = ${endpointId}`;
}
