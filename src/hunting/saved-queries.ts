import { parseInput } from '../parse-input.js';
import { SavedHuntingQueryNameTakenError, savedHuntingQueryNotFound } from './hunting-errors.js';
import { savedQueryInput } from './hunting-input.js';
import type { HuntingQueriesRepository, HuntingQueryFields, HuntingQueryRow } from '../store/index.js';

export interface SavedHuntingQuery {
  id: number;
  name: string;
  query: string;
  timespan: string | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

function toSavedQuery(row: HuntingQueryRow): SavedHuntingQuery {
  return {
    id: row.id,
    name: row.name,
    query: row.query,
    timespan: row.timespan,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function fields(input: unknown): HuntingQueryFields {
  const value = parseInput(savedQueryInput, input);
  return {
    name: value.name,
    query: value.query,
    timespan: value.timespan ?? null,
    description: value.description ?? null,
  };
}

/** Saved hunting queries: KQL under a unique name, run against whichever integration the caller names. */
export class SavedHuntingQueries {
  readonly #repository: HuntingQueriesRepository;

  constructor(repository: HuntingQueriesRepository) {
    this.#repository = repository;
  }

  async list(): Promise<SavedHuntingQuery[]> {
    return (await this.#repository.list()).map(toSavedQuery);
  }

  async get(id: number): Promise<SavedHuntingQuery> {
    const row = await this.#repository.find(id);
    if (row === undefined) throw savedHuntingQueryNotFound(id);
    return toSavedQuery(row);
  }

  /** By name, else by id: what a person types on the command line. */
  async find(nameOrId: string): Promise<SavedHuntingQuery> {
    const byName = await this.#repository.findByName(nameOrId.trim());
    if (byName !== undefined) return toSavedQuery(byName);
    const id = /^\d+$/.test(nameOrId.trim()) ? Number(nameOrId) : undefined;
    const byId = id === undefined ? undefined : await this.#repository.find(id);
    if (byId === undefined) throw savedHuntingQueryNotFound(nameOrId);
    return toSavedQuery(byId);
  }

  async create(input: unknown): Promise<SavedHuntingQuery> {
    const value = fields(input);
    await this.#refuseTakenName(value.name);
    return toSavedQuery(await this.#repository.insert(value, new Date().toISOString()));
  }

  /** Replaces the whole query (PUT): the fields left out become null. */
  async replace(id: number, input: unknown): Promise<SavedHuntingQuery> {
    const current = await this.get(id);
    const value = fields(input);
    if (value.name !== current.name) await this.#refuseTakenName(value.name);
    const row = await this.#repository.replace(id, value, new Date().toISOString());
    if (row === undefined) throw savedHuntingQueryNotFound(id);
    return toSavedQuery(row);
  }

  /** Results of its runs stay (until they expire), without the link to it. */
  async remove(id: number): Promise<void> {
    if (!(await this.#repository.remove(id))) throw savedHuntingQueryNotFound(id);
  }

  async #refuseTakenName(name: string): Promise<void> {
    if ((await this.#repository.findByName(name)) !== undefined)
      throw new SavedHuntingQueryNameTakenError(name);
  }
}
