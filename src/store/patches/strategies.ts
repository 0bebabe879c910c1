import type { Expr } from '../../domain/strategy/index.js';
import { StrategiesRepository } from './strategies-repository.js';
import { countStrategyMatches, strategyMatches, type MatchRequest } from './strategy-matches.js';

/** Patch strategies: the saved expressions, and the patches and endpoints an expression selects. */
export class Strategies extends StrategiesRepository {
  matches(expr: Expr, request: MatchRequest) {
    return strategyMatches(this.db, this.dialect, expr, request);
  }

  countMatches(expr: Expr, integrationId: string | undefined) {
    return countStrategyMatches(this.db, this.dialect, expr, integrationId);
  }
}
