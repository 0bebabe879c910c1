import type { Generated } from 'kysely';

/**
 * The API call ledger every process on a PostgreSQL store shares (migration 0026). Times are epoch milliseconds,
 * not ISO text: they are only ever compared and subtracted, by the window.
 */
export interface ApiCallsTable {
  id: Generated<number>;
  /** Tenant and application the service counts the call against. */
  budget_key: string;
  api_class: string;
  started_at_ms: number;
}

/** After a 429, no call of the budget's class before `until_ms`. */
export interface ApiPausesTable {
  budget_key: string;
  api_class: string;
  until_ms: number;
}

export interface ApiBudgetTables {
  api_calls: ApiCallsTable;
  api_pauses: ApiPausesTable;
}
