import type { RegisteredCertificate } from '../auth/certificate-registry.js';
import { ApiError } from '../http/api-error.js';
import type { Exchange } from '../http/exchange.js';
import { compileFilter, type FilterSchema } from '../http/odata-filter.js';
import { graphContext, sendODataList } from '../http/odata-list.js';
import type { SimState } from '../state.js';
import { isoSecondsZ, TICKS_PER_DAY, type Ticks } from '../time.js';
import { type Route, directory } from '../http/route.js';
import type { Handler } from './handler.js';

type DirectoryObject = Record<string, unknown>;

/** Directory objects are filtered on their plain string properties; `appId eq '…'` is what clients send. */
const APPLICATION_FILTER: FilterSchema<DirectoryObject> = {
  id: { type: 'string', get: (a) => String(a.id) },
  appId: { type: 'string', get: (a) => String(a.appId) },
  displayName: { type: 'string', get: (a) => String(a.displayName) },
};

/**
 * `GET /v1.0/applications`: the tenant's one app registration, the one the hub signs in as, with `$filter` and
 * `$select`. Needs Application.Read.All; without it the pipeline answers the directory's own 403.
 */
const listApplications: Handler = async (state, ex) => {
  const filter = ex.query.get('$filter');
  const matches =
    filter === undefined ? () => true : compileFilter(filter, APPLICATION_FILTER, 'applications');
  const select = selectedProperties(ex);
  const records = [appRegistration(state)]
    .filter(matches)
    .map((record) => (select === undefined ? record : pick(record, select)));
  const set = select === undefined ? 'applications' : `applications(${select.join(',')})`;
  await sendODataList(state, ex, graphContext(state, set), records, records.length);
};

/**
 * The app registration as Graph shows it: the current client secret (its hint the secret's first three
 * characters, its end the `secretExpiresAt` setting), an older secret that expired long ago, and every
 * certificate registered through `/_sim/certificates`. Values are never shown, as in Graph.
 */
function appRegistration(state: SimState): DirectoryObject {
  const { identity, clock } = state.tenant;
  const start = clock.epochStart(0);
  const secretEnd = state.settings.secretExpiresAt;
  return {
    id: identity.applicationObjectId,
    deletedDateTime: null,
    appId: identity.clientId,
    displayName: 'defender-hub',
    createdDateTime: isoSecondsZ(start - 1000 * TICKS_PER_DAY),
    signInAudience: 'AzureADMyOrg',
    passwordCredentials: [
      passwordCredential({
        keyId: identity.clientSecretId,
        displayName: 'defender-hub',
        hint: identity.clientSecret.slice(0, 3),
        start: Math.min(start, secretEnd) - 180 * TICKS_PER_DAY,
        end: secretEnd,
      }),
      passwordCredential({
        ...identity.previousSecret,
        displayName: 'defender-hub (old)',
        start: start - 930 * TICKS_PER_DAY,
        end: start - 200 * TICKS_PER_DAY,
      }),
    ],
    keyCredentials: state.certificates.list().map(keyCredential),
  };
}

function passwordCredential(secret: {
  keyId: string;
  displayName: string;
  hint: string;
  start: Ticks;
  end: Ticks;
}): DirectoryObject {
  return {
    customKeyIdentifier: null,
    displayName: secret.displayName,
    endDateTime: isoSecondsZ(secret.end),
    hint: secret.hint,
    keyId: secret.keyId,
    secretText: null,
    startDateTime: isoSecondsZ(secret.start),
  };
}

function keyCredential(certificate: RegisteredCertificate): DirectoryObject {
  return {
    // The portal's upload leaves this at its default, the SHA-1 thumbprint.
    customKeyIdentifier: certificate.thumbprintSha1,
    displayName: certificate.subject,
    endDateTime: new Date(certificate.notAfter).toISOString(),
    key: null,
    keyId: certificate.keyId,
    startDateTime: new Date(certificate.notBefore).toISOString(),
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
  };
}

const PROPERTIES = [
  'id',
  'deletedDateTime',
  'appId',
  'displayName',
  'createdDateTime',
  'signInAudience',
  'passwordCredentials',
  'keyCredentials',
];

/** `$select`'s properties; one the entity does not have is Graph's 400. */
function selectedProperties(ex: Exchange): string[] | undefined {
  const select = ex.query.get('$select');
  if (select === undefined) return undefined;
  const names = select
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.find((name) => !PROPERTIES.includes(name));
  if (unknown !== undefined)
    throw new ApiError(
      400,
      'BadRequest',
      `Could not find a property named '${unknown}' on type 'microsoft.graph.application'.`,
    );
  return names;
}

function pick(record: DirectoryObject, names: readonly string[]): DirectoryObject {
  return Object.fromEntries(names.map((name) => [name, record[name] ?? null]));
}

export const applicationRoutes: readonly Route[] = [
  directory('/v1.0/applications', /^\/v1\.0\/applications$/i, ['Application.Read.All'], listApplications),
];
