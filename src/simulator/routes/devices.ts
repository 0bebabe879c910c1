import { ApiError } from '../http/api-error.js';
import type { Exchange, Query } from '../http/exchange.js';
import { graphContext, sendODataList } from '../http/odata-list.js';
import { sendJson } from '../http/responses.js';
import { DEVICE_PROPERTIES, entraDevices, truthDevices, type DeviceCursor } from '../world/entra-devices.js';
import { type Route, directory, open } from '../http/route.js';
import type { Handler } from './handler.js';

/** Directory lists: `$top` from 1 to 999, 100 when not given. */
export const DEVICES_MAX_TOP = 999;
export const DEVICES_DEFAULT_TOP = 100;

type DeviceRecord = Record<string, unknown>;

/** Query options the directory refuses on `/devices` without advanced queries (`ConsistencyLevel: eventual`). */
const UNSUPPORTED_OPTIONS = ['$skip', '$orderby', '$search', '$count', '$expand'];
/** Properties `$filter` takes here: `eq` (and `startswith` on strings), joined by `and`. */
const FILTERABLE: Readonly<Record<string, 'string' | 'boolean'>> = {
  id: 'string',
  deviceId: 'string',
  displayName: 'string',
  operatingSystem: 'string',
  trustType: 'string',
  accountEnabled: 'boolean',
};

function unsupported(message: string): ApiError {
  return new ApiError(400, 'Request_UnsupportedQuery', message);
}

function badRequest(message: string): ApiError {
  return new ApiError(400, 'Request_BadRequest', message);
}

function pageSize(query: Query): number {
  const raw = query.get('$top');
  if (raw === undefined) return DEVICES_DEFAULT_TOP;
  const top = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(top) || top < 1 || top > DEVICES_MAX_TOP)
    throw badRequest(
      `Invalid page size specified: '${raw}'. Must be between 1 and ${DEVICES_MAX_TOP} inclusive.`,
    );
  return top;
}

function selectedProperties(query: Query): string[] | undefined {
  const select = query.get('$select');
  if (select === undefined) return undefined;
  const names = select
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const known: readonly string[] = DEVICE_PROPERTIES;
  const unknown = names.find((name) => !known.includes(name));
  if (unknown !== undefined)
    throw badRequest(
      `Could not find a property named '${unknown}' on type 'Microsoft.DirectoryServices.Device'.`,
    );
  return names;
}

const CLAUSE =
  /^(?:(\w+)\s+eq\s+('(?:[^']|'')*'|true|false)|startswith\(\s*(\w+)\s*,\s*('(?:[^']|'')*')\s*\))/i;

/**
 * The trivial `$filter`s: `prop eq 'x'`, `prop eq true|false`, `startswith(prop,'x')`, joined by `and`. Anything
 * else needs advanced queries, which the simulator does not imitate: Graph's 400 for an unsupported query.
 */
function compileDeviceFilter(filter: string): (record: DeviceRecord) => boolean {
  const tests: ((record: DeviceRecord) => boolean)[] = [];
  let rest = filter.trim();
  for (;;) {
    const match = CLAUSE.exec(rest);
    if (match === null)
      throw unsupported(`Unsupported or invalid query filter clause specified: '${filter}'.`);
    const [whole, eqName, eqValue, swName, swValue] = match;
    const name = eqName ?? swName ?? '';
    const property = Object.keys(FILTERABLE).find((p) => p.toLowerCase() === name.toLowerCase());
    if (property === undefined)
      throw unsupported(
        `Unsupported or invalid query filter clause specified for property '${name}' of resource 'Device'.`,
      );
    const type = FILTERABLE[property];
    const literal = eqValue ?? swValue ?? '';
    const isString = literal.startsWith("'");
    if ((type === 'string') !== isString || (swName !== undefined && type !== 'string'))
      throw badRequest(`A literal of the wrong type was given for property '${property}' in the filter.`);
    const text = isString ? literal.slice(1, -1).replace(/''/g, "'") : literal.toLowerCase() === 'true';
    if (swName !== undefined) {
      const prefix = String(text).toLowerCase();
      tests.push((r) => typeof r[property] === 'string' && r[property].toLowerCase().startsWith(prefix));
    } else if (typeof text === 'string') {
      const value = text.toLowerCase();
      tests.push((r) => typeof r[property] === 'string' && r[property].toLowerCase() === value);
    } else {
      tests.push((r) => r[property] === text);
    }
    rest = rest.slice(whole.length).trim();
    if (rest === '') break;
    const and = /^and\s+/i.exec(rest);
    if (and === null) throw unsupported(`Unsupported or invalid query filter clause specified: '${filter}'.`);
    rest = rest.slice(and[0].length);
  }
  return (record) => tests.every((test) => test(record));
}

/** The opaque `$skiptoken`: where the next page starts in the listing. */
function encodeSkipToken(cursor: DeviceCursor): string {
  return Buffer.from(`devices|${cursor.kind}|${cursor.index}`).toString('base64url');
}

function decodeSkipToken(token: string): DeviceCursor {
  const match = /^devices\|(machine|other)\|(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (match === null) throw badRequest(`Invalid $skiptoken '${token}'.`);
  return { kind: match[1] === 'other' ? 'other' : 'machine', index: Number(match[2]) };
}

function nextLink(baseUrl: string, ex: Exchange, cursor: DeviceCursor): string {
  const params: string[] = [];
  for (const [key, value] of ex.url.searchParams) {
    if (key.toLowerCase() === '$skiptoken') continue;
    params.push(`${key}=${encodeURIComponent(value)}`);
  }
  params.push(`$skiptoken=${encodeSkipToken(cursor)}`);
  return `${baseUrl}/v1.0/devices?${params.join('&')}`;
}

/**
 * `GET /v1.0/devices`: the tenant's Entra devices with `$top` (1–999, default 100), `$select`, a trivial
 * `$filter` and `@odata.nextLink` paging by `$skiptoken`. `ConsistencyLevel` is not needed (no advanced queries).
 */
const listDevices: Handler = async (state, ex) => {
  const refused = UNSUPPORTED_OPTIONS.find((option) => ex.query.get(option) !== undefined);
  if (refused !== undefined)
    throw unsupported(
      `The query option '${refused}' is not supported on 'devices' without advanced query capabilities.`,
    );
  const top = pageSize(ex.query);
  const select = selectedProperties(ex.query);
  const filter = ex.query.get('$filter');
  const matches = filter === undefined ? () => true : compileDeviceFilter(filter);
  const token = ex.query.get('$skiptoken');
  const from = token === undefined ? undefined : decodeSkipToken(token);
  const records: DeviceRecord[] = [];
  let next: DeviceCursor | undefined;
  for (const device of entraDevices(state.tenant, state.tenant.epoch, from)) {
    if (!matches(device.record)) continue;
    if (records.length === top) {
      next = device.cursor;
      break;
    }
    records.push(
      select === undefined
        ? device.record
        : Object.fromEntries(select.map((name) => [name, device.record[name] ?? null])),
    );
  }
  const set = select === undefined ? 'devices' : `devices(${select.join(',')})`;
  await sendODataList(state, ex, graphContext(state, set), records, records.length, () =>
    next === undefined ? {} : { '@odata.nextLink': nextLink(state.baseUrl(), ex, next) },
  );
};

/** `GET /_sim/truth/devices`: the devices, the machine ↔ device joins and the Entra-only devices, as of now. */
const truthDevicesRoute: Handler = async (state, ex) => {
  await sendJson(ex, 200, truthDevices(state.tenant, state.tenant.epoch));
};

/** Entra ID devices, and their truth. */
export const deviceRoutes: readonly Route[] = [
  directory('/v1.0/devices', /^\/v1\.0\/devices$/i, ['Device.Read.All', 'Directory.Read.All'], listDevices),
  open('GET', '/_sim/truth/devices', /^\/_sim\/truth\/devices$/, 'sim', truthDevicesRoute),
];
