import type { ApiHttp } from '../api-http.js';
import { validateMachine, type Machine } from '../schemas/machine.js';
import { ODataCollection } from './odata-collection.js';

/** Microsoft's cap on `$top` for `GET /api/machines`. */
export const machinesPageCap = 10_000;

/** Machines: a tenant without any answers 404, which reads as an empty list. */
export class MachinesResource extends ODataCollection<Machine> {
  constructor(http: ApiHttp, apiBaseUrl: string) {
    super(http, `${apiBaseUrl}/api/machines`, {
      pageCap: machinesPageCap,
      validate: validateMachine,
      notFoundIsEmpty: true,
    });
  }
}
