import { z } from 'zod';
import { ConflictError, NotFoundError } from '../errors.js';
import { parseInput } from '../parse-input.js';
import {
  formatStrategyExpression,
  parseStrategyExpression,
  validateStrategyExpression,
  type Expr,
  type StrategyExpressionProblem,
} from '../domain/strategy/index.js';
import type { Page, Strategies, Strategy, StrategyMatch } from '../store/index.js';

const strategyNotFound = (id: number): NotFoundError =>
  new NotFoundError(
    'STRATEGY_NOT_FOUND',
    `No patch strategy with id ${id}. List them with GET /api/v1/patch-strategies.`,
  );

export class StrategyNameTakenError extends ConflictError {
  constructor(name: string) {
    super('STRATEGY_NAME_TAKEN', `A patch strategy named "${name}" exists already: choose another name.`);
  }
}

const name = z.string().trim().min(1, 'name is required').max(200, 'name is at most 200 characters');
const description = z.string().trim().max(2000, 'description is at most 2,000 characters').nullable();
/** Bounded: a strategy fits on a screen; a megabyte of text is an attack or a mistake. */
export const strategyExpression = z
  .string()
  .min(1, 'expression is required')
  .max(10_000, 'expression is at most 10,000 characters');
const expression = strategyExpression;

export const createStrategyInput = z
  .object({ name, description: description.optional(), expression })
  .strict();
export const updateStrategyInput = z
  .object({ name: name.optional(), description: description.optional(), expression: expression.optional() })
  .strict();

export type StrategyCheck =
  { ok: true; expression: string } | { ok: false; error: StrategyExpressionProblem };

/** A check that also says, when asked and the expression is valid, how many patches it selects. */
export type CountedStrategyCheck =
  | { ok: true; expression: string; matchingPatches?: number }
  | { ok: false; error: StrategyExpressionProblem };

export interface ValidateOptions {
  /** Count the patches the expression selects, as a saved strategy's matches total would. */
  readonly count?: boolean | undefined;
  readonly integrationId?: string | undefined;
}

/** Parses an expression without saving it (no database needed): the canonical text, or where and why it fails. */
export function checkStrategy(source: string): StrategyCheck {
  const result = validateStrategyExpression(source);
  return result.ok
    ? { ok: true, expression: formatStrategyExpression(result.expression) }
    : { ok: false, error: result.error };
}

/** Patch strategies: saved filter expressions, checked on the way in, and the patches they select. */
export class StrategyService {
  readonly #repository: Strategies;

  constructor(repository: Strategies) {
    this.#repository = repository;
  }

  async validate(source: string, options: ValidateOptions = {}): Promise<CountedStrategyCheck> {
    const check = checkStrategy(source);
    if (!check.ok || options.count !== true) return check;
    const expr = parseStrategyExpression(check.expression);
    return {
      ...check,
      matchingPatches: await this.#repository.countMatches(expr, options.integrationId),
    };
  }

  list(): Promise<Strategy[]> {
    return this.#repository.list();
  }

  get(id: number): Promise<Strategy> {
    return this.#strategy(id);
  }

  async create(input: unknown): Promise<Strategy> {
    const value = parseInput(createStrategyInput, input);
    const canonical = formatStrategyExpression(parseStrategyExpression(value.expression));
    if ((await this.#repository.findByName(value.name)) !== undefined)
      throw new StrategyNameTakenError(value.name);
    return this.#repository.insert({
      name: value.name,
      description: value.description ?? null,
      expression: canonical,
      now: new Date().toISOString(),
    });
  }

  async update(id: number, input: unknown): Promise<Strategy> {
    const current = await this.#strategy(id);
    const value = parseInput(updateStrategyInput, input);
    if (value.name !== undefined && value.name !== current.name) {
      if ((await this.#repository.findByName(value.name)) !== undefined)
        throw new StrategyNameTakenError(value.name);
    }
    const updated = await this.#repository.update(id, {
      ...(value.name === undefined ? {} : { name: value.name }),
      ...(value.description === undefined ? {} : { description: value.description }),
      ...(value.expression === undefined
        ? {}
        : { expression: formatStrategyExpression(parseStrategyExpression(value.expression)) }),
      now: new Date().toISOString(),
    });
    if (updated === undefined) throw strategyNotFound(id);
    return updated;
  }

  async remove(id: number): Promise<void> {
    if (!(await this.#repository.remove(id))) throw strategyNotFound(id);
  }

  /** The patches the strategy selects, each with the endpoints it selects it on. */
  async matches(
    id: number,
    request: { page: number; pageSize: number; endpointLimit: number; integrationId?: string | undefined },
  ): Promise<Page<StrategyMatch>> {
    const strategy = await this.#strategy(id);
    return this.evaluate(parseStrategyExpression(strategy.expression), request);
  }

  evaluate(
    expr: Expr,
    request: { page: number; pageSize: number; endpointLimit: number; integrationId?: string | undefined },
  ): Promise<Page<StrategyMatch>> {
    return this.#repository.matches(expr, request);
  }

  async #strategy(id: number): Promise<Strategy> {
    const strategy = await this.#repository.find(id);
    if (strategy === undefined) throw strategyNotFound(id);
    return strategy;
  }
}
