import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Dialect } from '../db/dialect.js';
import type { Expr } from '../../domain/strategy/index.js';
import { StrategiesRepository } from './strategies-repository.js';
import { countStrategyMatches, strategyMatches, type MatchRequest } from './strategy-matches.js';

/** Patch strategies: the saved expressions, and the patches and endpoints an expression selects. */
export class Strategies extends StrategiesRepository {
  readonly #db: Kysely<Database>;
  readonly #dialect: Dialect;

  constructor(db: Kysely<Database>, dialect: Dialect) {
    super(db);
    this.#db = db;
    this.#dialect = dialect;
  }

  matches(expr: Expr, request: MatchRequest) {
    return strategyMatches(this.#db, this.#dialect, expr, request);
  }

  countMatches(expr: Expr, integrationId: string | undefined) {
    return countStrategyMatches(this.#db, this.#dialect, expr, integrationId);
  }
}
