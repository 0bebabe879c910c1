import type { Selectable } from 'kysely';
import type { EndpointProfilesTable, EndpointsTable, ProfilesTable } from '../db/schema.js';
import type { ProfileEndpoint, ProfileRule } from '../../domain/os-profile.js';
import { parseObjectArray, parseStringArray } from '../db/list-queries.js';

type ProfileKind = ProfilesTable['kind'];

/** A profile as the API and the CLI show it. */
export interface Profile {
  id: number;
  name: string;
  kind: ProfileKind;
  /** The integration whose OS data created it; null for the hub's rule profiles. */
  integrationId: string | null;
  rule: ProfileRule | null;
  /** OS profiles: 100 (Very High). Null for rule profiles: each endpoint scores its own match. */
  matchScore: number | null;
  /** Active endpoints that carry it. */
  endpoints: number;
  createdAt: string;
}

/** A stored profile, whatever carries it. */
export interface StoredProfile {
  readonly id: number;
  readonly integrationId: string | null;
  readonly name: string;
  readonly kind: ProfileKind;
  readonly rule: ProfileRule | null;
  /** The profile's own score: an OS profile's; 0 for a rule profile, which scores per endpoint. */
  readonly matchScore: number;
  readonly createdAt: string;
}

/** What profiling reads of an endpoint: its OS, and the facts a rule profile matches. */
export interface ProfiledEndpoint extends ProfileEndpoint {
  readonly id: number;
  readonly version: string | null;
  readonly osBuild: number | null;
}

/** An endpoint carrying a profile, with how well it matches. */
export interface ProfileAssignment {
  readonly endpointId: number;
  readonly profileId: number;
  readonly matchScore: number;
}

export type ProfileColumns = Pick<
  Selectable<ProfilesTable>,
  'id' | 'integration_id' | 'name' | 'kind' | 'rule' | 'match_score' | 'created_at'
>;

export type ProfiledEndpointColumns = Pick<
  Selectable<EndpointsTable>,
  | 'id'
  | 'os_platform'
  | 'version'
  | 'os_build'
  | 'computer_dns_name'
  | 'last_ip_address'
  | 'ip_addresses'
  | 'machine_tags'
  | 'rbac_group_name'
>;

export function toStoredProfile(row: ProfileColumns): StoredProfile {
  return {
    id: row.id,
    integrationId: row.integration_id,
    name: row.name,
    kind: row.kind,
    rule: row.rule === null ? null : (JSON.parse(row.rule) as ProfileRule),
    matchScore: row.match_score,
    createdAt: row.created_at,
  };
}

export function toProfile(profile: StoredProfile, endpoints: number): Profile {
  return {
    id: profile.id,
    name: profile.name,
    kind: profile.kind,
    integrationId: profile.integrationId,
    rule: profile.rule,
    matchScore: profile.kind === 'rule' ? null : profile.matchScore,
    endpoints,
    createdAt: profile.createdAt,
  };
}

export function toProfiledEndpoint(row: ProfiledEndpointColumns): ProfiledEndpoint {
  const reported = parseObjectArray(row.ip_addresses)
    .map((a) => a.ipAddress)
    .filter((a): a is string => typeof a === 'string');
  return {
    id: row.id,
    osPlatform: row.os_platform,
    version: row.version,
    osBuild: row.os_build,
    name: row.computer_dns_name,
    // The address Defender saw last comes first, then every one the device reports.
    ipAddresses: row.last_ip_address === null ? reported : [row.last_ip_address, ...reported],
    tags: parseStringArray(row.machine_tags),
    deviceGroup: row.rbac_group_name,
  };
}

export function toProfileAssignment(row: Selectable<EndpointProfilesTable>): ProfileAssignment {
  return { endpointId: row.endpoint_id, profileId: row.profile_id, matchScore: row.match_score };
}
