import type { ApiHttp } from '../api-http.js';
import type { Batch } from '../paging.js';
import type { RecordValidator } from '../schemas/record.js';
import {
  validateMachineReference,
  validateSoftware,
  validateSoftwareDistribution,
  type MachineReference,
  type Software,
  type SoftwareDistribution,
} from '../schemas/software.js';
import { validateVulnerability, type Vulnerability } from '../schemas/vulnerability.js';
import { ODataCollection, type ListOptions } from './odata-collection.js';

/** Microsoft's cap on `$top` for `GET /api/Software`; the per-software lists are stepped the same way. */
export const softwarePageCap = 10_000;

/** The per-item lists document no `$filter`. */
export type SubListOptions = Omit<ListOptions, 'filter'>;

/**
 * The software inventory (filter on `id`, `name`, `vendor`, e.g. `vendor eq 'google'`) and, per software, the
 * devices it is installed on, its open CVEs and its version spread; per device, what is installed there.
 */
export class SoftwareResource {
  readonly #http: ApiHttp;
  readonly #apiBaseUrl: string;
  readonly #software: ODataCollection<Software>;

  constructor(http: ApiHttp, apiBaseUrl: string) {
    this.#http = http;
    this.#apiBaseUrl = apiBaseUrl;
    this.#software = this.#collection('/api/Software', validateSoftware);
  }

  list(options: ListOptions = {}): AsyncGenerator<Batch<Software>, void, undefined> {
    return this.#software.list(options);
  }

  /** By id (`vendor-_-name`); an unknown id is a DefenderApiError with code NotFound. */
  get(id: string, signal?: AbortSignal): Promise<Software> {
    return this.#software.get(id, signal);
  }

  /** The devices the software is installed on. */
  machineReferences(
    id: string,
    options: SubListOptions = {},
  ): AsyncGenerator<Batch<MachineReference>, void, undefined> {
    return this.#subList(id, 'machineReferences', validateMachineReference).list(options);
  }

  /** The CVEs of the software found open in the tenant. */
  vulnerabilities(
    id: string,
    options: SubListOptions = {},
  ): AsyncGenerator<Batch<Vulnerability>, void, undefined> {
    return this.#subList(id, 'vulnerabilities', validateVulnerability).list(options);
  }

  /** Installations and vulnerabilities per installed version. */
  distributions(
    id: string,
    options: SubListOptions = {},
  ): AsyncGenerator<Batch<SoftwareDistribution>, void, undefined> {
    return this.#subList(id, 'distributions', validateSoftwareDistribution).list(options);
  }

  /** What is installed on one device, as tenant-wide Software records. */
  machineSoftware(
    machineId: string,
    options: SubListOptions = {},
  ): AsyncGenerator<Batch<Software>, void, undefined> {
    return this.#collection(`/api/machines/${encodeURIComponent(machineId)}/software`, validateSoftware).list(
      options,
    );
  }

  #subList<T>(id: string, list: string, validate: RecordValidator<T>): ODataCollection<T> {
    return this.#collection(`/api/Software/${encodeURIComponent(id)}/${list}`, validate);
  }

  #collection<T>(path: string, validate: RecordValidator<T>): ODataCollection<T> {
    return new ODataCollection(this.#http, `${this.#apiBaseUrl}${path}`, {
      pageCap: softwarePageCap,
      validate,
    });
  }
}
