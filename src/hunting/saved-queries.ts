import { parseInput } from '../parse-input.js';
import { SavedHuntingQueryNameTakenError, savedHuntingQueryNotFound } from './hunting-errors.js';
import { savedQueryInput } from './hunting-input.js';
import type { HuntingQueriesRepository, HuntingQueryFields, SavedHuntingQuery } from '../store/index.js';

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
    return this.#repository.list();
  }

  async get(id: number): Promise<SavedHuntingQuery> {
    const saved = await this.#repository.find(id);
    if (saved === undefined) throw savedHuntingQueryNotFound(id);
    return saved;
  }

  /** By name, else by id: what a person types on the command line. */
  async find(nameOrId: string): Promise<SavedHuntingQuery> {
    const byName = await this.#repository.findByName(nameOrId.trim());
    if (byName !== undefined) return byName;
    const id = /^\d+$/.test(nameOrId.trim()) ? Number(nameOrId) : undefined;
    const byId = id === undefined ? undefined : await this.#repository.find(id);
    if (byId === undefined) throw savedHuntingQueryNotFound(nameOrId);
    return byId;
  }

  async create(input: unknown): Promise<SavedHuntingQuery> {
    const value = fields(input);
    await this.#refuseTakenName(value.name);
    return this.#repository.insert(value, new Date().toISOString());
  }

  /** Replaces the whole query (PUT): the fields left out become null. */
  async replace(id: number, input: unknown): Promise<SavedHuntingQuery> {
    const current = await this.get(id);
    const value = fields(input);
    if (value.name !== current.name) await this.#refuseTakenName(value.name);
    const saved = await this.#repository.replace(id, value, new Date().toISOString());
    if (saved === undefined) throw savedHuntingQueryNotFound(id);
    return saved;
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
