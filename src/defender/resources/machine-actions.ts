import type { ApiHttp } from '../api-http.js';
import { validateMachineAction, type MachineAction } from '../schemas/machine-action.js';
import { ODataCollection } from './odata-collection.js';

/** The tenant's machine actions, including those made in the Defender portal. */
export class MachineActionsResource extends ODataCollection<MachineAction> {
  constructor(http: ApiHttp, apiBaseUrl: string) {
    super(http, `${apiBaseUrl}/api/machineactions`, { pageCap: 10_000, validate: validateMachineAction });
  }
}
