import { sql, type Transaction } from 'kysely';
import { Repository } from '../db/repository.js';
import type { Database } from '../db/schema.js';
import type { ApiCallDecision, ApiCallRequest } from '../../domain/api-call-budget.js';

/** First key of the advisory locks taken here, so they never meet another feature's (the second is the budget's). */
const lockSpace = 0x61706962;

/** Expired calls deleted with each new one: small batches keep each call's transaction short. */
const pruneBatch = 20;

/**
 * PostgreSQL: the calls every process started against each tenant application's API budget, and the pauses a
 * 429 set. A start is one short transaction that holds an advisory lock of its budget and class, counts the
 * class's windows and records the call only when they have room, so two processes never both take a window's
 * last call; other budgets and classes go on in parallel.
 */
export class ApiCallLedger extends Repository {
  start(call: ApiCallRequest): Promise<ApiCallDecision> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${lockSpace}::int4, hashtext(${`${call.budget}|${call.apiClass}`}))`.execute(
        trx,
      );
      const { pausedUntil, freeingCallAt } = await this.#standing(trx, call);
      if (pausedUntil > call.now || freeingCallAt.some((at) => at !== undefined))
        return { started: false, pausedUntil, freeingCallAt };
      if (call.windows.length > 0) await this.#record(trx, call);
      return { started: true };
    });
  }

  async pause(budget: string, apiClass: string, untilMs: number): Promise<void> {
    await this.db
      .insertInto('api_pauses')
      .values({ budget_key: budget, api_class: apiClass, until_ms: untilMs })
      .onConflict((oc) =>
        oc.columns(['budget_key', 'api_class']).doUpdateSet((eb) => ({
          until_ms: eb.fn('greatest', [eb.ref('api_pauses.until_ms'), eb.ref('excluded.until_ms')]),
        })),
      )
      .execute();
  }

  async count(
    budget: string,
    apiClass: string,
    now: number,
    windowsMs: readonly number[],
  ): Promise<number[]> {
    if (windowsMs.length === 0) return [];
    const row: Record<string, number> = await this.db
      .selectFrom('api_calls')
      .select((eb) =>
        windowsMs.map((ms, i) =>
          eb.fn
            .countAll<number>()
            .filterWhere('started_at_ms', '>', now - ms)
            .as(`window_${i}`),
        ),
      )
      .where('budget_key', '=', budget)
      .where('api_class', '=', apiClass)
      .executeTakeFirstOrThrow();
    return windowsMs.map((_, i) => row[`window_${i}`] ?? 0);
  }

  /**
   * The pause in force, and per window the call that must leave it first: with `allowed` calls or more inside, the
   * `allowed`-th newest (none when the window has room).
   */
  async #standing(
    trx: Transaction<Database>,
    call: ApiCallRequest,
  ): Promise<{ pausedUntil: number; freeingCallAt: (number | undefined)[] }> {
    const row: Record<string, number | null> = await trx
      .selectNoFrom((eb) => [
        eb
          .selectFrom('api_pauses')
          .select('until_ms')
          .where('budget_key', '=', call.budget)
          .where('api_class', '=', call.apiClass)
          .as('paused_until'),
        ...call.windows.map((w, i) =>
          eb
            .selectFrom('api_calls')
            .select('started_at_ms')
            .where('budget_key', '=', call.budget)
            .where('api_class', '=', call.apiClass)
            .where('started_at_ms', '>', call.now - w.windowMs)
            .orderBy('started_at_ms', 'desc')
            .offset(w.allowed - 1)
            .limit(1)
            .as(`window_${i}`),
        ),
      ])
      .executeTakeFirstOrThrow();
    return {
      pausedUntil: row.paused_until ?? 0,
      freeingCallAt: call.windows.map((_, i) => row[`window_${i}`] ?? undefined),
    };
  }

  /** Records the call and, in the same statement, forgets a few calls no window counts any more. */
  async #record(trx: Transaction<Database>, call: ApiCallRequest): Promise<void> {
    await trx
      .with('expired', (db) =>
        db.deleteFrom('api_calls').where('id', 'in', (eb) =>
          eb
            .selectFrom('api_calls')
            .select('id')
            .where('started_at_ms', '<=', call.now - call.retainMs)
            .limit(pruneBatch)
            .forUpdate()
            .skipLocked(),
        ),
      )
      .insertInto('api_calls')
      .values({ budget_key: call.budget, api_class: call.apiClass, started_at_ms: call.now })
      .execute();
  }
}
