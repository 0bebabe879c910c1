import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import type { Database } from '../db/schema.js';
import {
  decidingIsolationStatuses,
  isolationStateNames,
  isolationTypes,
  pendingIsolationStatuses,
  type IsolationStateName,
} from '../../domain/isolation.js';

/**
 * domain/isolation.ts's rule in SQL, so a list can filter and count by isolation state in the database: a
 * machine's deciding action is its isolate or release, pending or succeeded, that no other such action of the
 * machine follows (later `created_at`, or the same and a greater action id). Its state: pending while it runs,
 * else isolated after an isolate, not isolated after a release; a machine without one is not isolated.
 *
 * Text is compared byte-wise as the rule's JavaScript compares it: PostgreSQL's other collations order
 * punctuation and case differently, so there the comparisons use `collate "C"`.
 */

/** A text column compared byte-wise on both dialects. */
function byteWise(dialect: Dialect, column: Expression<string>): Expression<string> {
  return dialect === 'postgres' ? sql<string>`${column} collate "C"` : column;
}

/** The deciding action of each machine that has one. */
function decidingActions(db: Kysely<Database>, dialect: Dialect) {
  return db
    .selectFrom('machine_actions as a')
    .where('a.type', 'in', isolationTypes)
    .where('a.status', 'in', decidingIsolationStatuses)
    .where((outer) =>
      outer.not(
        outer.exists(
          outer
            .selectFrom('machine_actions as b')
            .select(sql.lit(1).as('later'))
            .whereRef('b.integration_id', '=', 'a.integration_id')
            .whereRef('b.machine_id', '=', 'a.machine_id')
            .where('b.type', 'in', isolationTypes)
            .where('b.status', 'in', decidingIsolationStatuses)
            // Later, or as late with a greater id; the first condition alone is a range of the machine's index.
            .where((eb) =>
              eb.and([
                eb(
                  byteWise(dialect, eb.ref('b.created_at')),
                  '>=',
                  byteWise(dialect, eb.ref('a.created_at')),
                ),
                eb.or([
                  eb(
                    byteWise(dialect, eb.ref('b.created_at')),
                    '>',
                    byteWise(dialect, eb.ref('a.created_at')),
                  ),
                  eb(byteWise(dialect, eb.ref('b.action_id')), '>', byteWise(dialect, eb.ref('a.action_id'))),
                ]),
              ]),
            ),
        ),
      ),
    );
}

/** The state a deciding action (`a`) gives its machine. */
function stateOfDeciding(
  eb: ExpressionBuilder<Database & { a: Database['machine_actions'] }, 'a'>,
): Expression<IsolationStateName> {
  return eb
    .case()
    .when('a.status', 'in', pendingIsolationStatuses)
    .then(sql.lit<IsolationStateName>('pending'))
    .when('a.type', '=', 'Isolate')
    .then(sql.lit<IsolationStateName>('isolated'))
    .else(sql.lit<IsolationStateName>('notIsolated'))
    .end();
}

/**
 * Endpoints whose isolation state is one of `wanted`, as a condition on the `endpoints` table. Few machines
 * have a deciding action (a tenant isolates a handful of devices, not its fleet): the endpoints whose machine
 * is among those with a wanted state, or — when "not isolated" is wanted — those whose machine has no
 * deciding action of an unwanted state (a probe of the machine's index per endpoint; SQLite would compare
 * each endpoint with every member of a `not in` list of pairs).
 */
export function isolationStateIn(
  db: Kysely<Database>,
  dialect: Dialect,
  wanted: readonly IsolationStateName[],
): ((eb: ExpressionBuilder<Database, 'endpoints'>) => Expression<SqlBool>) | undefined {
  const keep = new Set(wanted);
  // None named is no filter, as with the other lists' any-of filters; all three is none either.
  if (keep.size === 0 || isolationStateNames.every((s) => keep.has(s))) return undefined;
  const deciding = (states: IsolationStateName[]) =>
    decidingActions(db, dialect).where((eb) => eb(stateOfDeciding(eb), 'in', states));
  if (keep.has('notIsolated')) {
    const others = isolationStateNames.filter((s) => !keep.has(s));
    return (eb) =>
      eb.not(
        eb.exists(
          deciding(others)
            .select(sql.lit(1).as('deciding'))
            .where('a.integration_id', '=', sql.ref<string>('endpoints.integration_id'))
            .where('a.machine_id', '=', sql.ref<string>('endpoints.machine_id')),
        ),
      );
  }
  return (eb) =>
    eb(
      eb.refTuple('endpoints.integration_id', 'endpoints.machine_id'),
      'in',
      deciding([...keep])
        .select(['a.integration_id', 'a.machine_id'])
        .$asTuple('integration_id', 'machine_id'),
    );
}
