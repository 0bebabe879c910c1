import type { ApiHttp } from '../api-http.js';
import { DefenderPermissionError } from '../errors.js';
import { paginate, withQuery, type Batch } from '../paging.js';
import { validateDevice, type EntraDevice } from '../schemas/device.js';

/** The least privileged Graph application permission that lists devices (Directory.Read.All also does). */
export const DEVICE_READ_ROLE = 'Device.Read.All';
const DEVICE_READ_ROLES = [DEVICE_READ_ROLE, 'Directory.Read.All'];

/** Graph's directory page cap (`$top` 1–999). */
export const devicesPageCap = 999;

/** The device members the hub reads; `$select` keeps the pages small. */
export const DEVICE_SELECT = [
  'id',
  'deviceId',
  'displayName',
  'operatingSystem',
  'operatingSystemVersion',
  'trustType',
  'isCompliant',
  'isManaged',
  'approximateLastSignInDateTime',
  'accountEnabled',
  'registrationDateTime',
].join(',');

export interface ListDevicesOptions {
  /** Records per request, at most (and by default) 999. */
  readonly pageSize?: number;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

/** Entra ID devices through Microsoft Graph (`/v1.0/devices`), for correlating Defender machines by `aadDeviceId`. */
export class DevicesResource {
  readonly #http: ApiHttp;
  readonly #url: string;

  constructor(http: ApiHttp, graphBaseUrl: string) {
    this.#http = http;
    this.#url = `${graphBaseUrl}/v1.0/devices`;
  }

  /**
   * Every device, in batches, following `@odata.nextLink`. Without Device.Read.All the directory's 403 names no
   * role; it becomes the permission error naming Device.Read.All.
   */
  async *list(options: ListDevicesOptions = {}): AsyncGenerator<Batch<EntraDevice>, void, undefined> {
    const top = Math.max(1, Math.min(options.pageSize ?? devicesPageCap, devicesPageCap));
    try {
      yield* paginate(this.#http, {
        request: {
          url: withQuery(this.#url, { $select: DEVICE_SELECT, $top: top }),
          audience: 'graph',
          apiClass: 'graph',
          signal: options.signal,
        },
        mode: { kind: 'nextLink' },
        validate: validateDevice,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      });
    } catch (error) {
      if (error instanceof DefenderPermissionError && error.requiredRoles.length === 0)
        throw namedRefusal(error);
      throw error;
    }
  }
}

function namedRefusal(error: DefenderPermissionError): DefenderPermissionError {
  const granted = error.grantedRoles;
  return new DefenderPermissionError(
    `Reading Entra ID devices (GET /v1.0/devices) needs ${DEVICE_READ_ROLE} (Microsoft Graph, application permission), ` +
      `but the app's token carries ${granted.length === 0 ? 'no roles' : granted.join(', ')}. ` +
      // The hub's one use of devices is an optional import: switching it off is as good a fix as the grant.
      'Add it under "API permissions" and grant admin consent, or turn off the Entra ID devices import ' +
      '(imports.entraDevices) of the integration.',
    {
      ...(error.status === undefined ? {} : { status: error.status }),
      cause: error,
      requiredRoles: DEVICE_READ_ROLES,
      grantedRoles: granted,
    },
  );
}
