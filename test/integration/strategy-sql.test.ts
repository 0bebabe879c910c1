import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import {
  evaluateStrategy,
  parseStrategyExpression,
  strategyExpressionLimits,
  strategyFieldNames,
  strategyFields,
  strategyOperators,
  type StrategyFieldName,
  type StrategyRow,
} from '../../src/domain/strategy/index.js';
import type { Dialect, Store } from '../../src/store/db/database.js';
import type { Database } from '../../src/store/db/schema.js';
import { compileStrategy } from '../../src/store/patches/strategy-sql.js';
import { patchEndpointPairs } from '../../src/store/patches/patch-endpoints.js';
import { dialects, freshStore } from '../support/stores.js';
import { pick, seeded, type Random } from '../support/seeded-random.js';

// ---------------------------------------------------------------------------------------------------------
// The dataset: one description, inserted into the store and turned into the evaluator's rows.

const integrationId = 'int-strategy';
const now = '2026-01-01T00:00:00.000Z';
const riskLevels = strategyFields['Endpoint.RiskLevel'].level ?? [];

interface EndpointSpec {
  readonly key: string;
  readonly name: string | null;
  readonly group: string | null;
  readonly risk: string;
  readonly tags: readonly string[];
  readonly profiles: readonly string[];
}

interface PatchSpec {
  readonly key: string;
  readonly name: string;
  readonly vendor: string | null;
  readonly software: string | null;
  /** The text and the rank as the store keeps them: the rank decides, -1 for none or an unknown word. */
  readonly severity: readonly [string | null, number];
  readonly exploitability: readonly [string | null, number];
  readonly knownExploit: boolean;
  readonly updateAvailable: boolean;
  readonly networkAccessible: boolean;
  readonly cvss: number | null;
  readonly cveCount: number;
  readonly endpointCount: number;
  readonly endpoints: readonly string[];
}

/** Rule profiles have no integration; OS profiles belong to one. Names differing only in case are both kept. */
const profiles: readonly { readonly name: string; readonly os: boolean }[] = [
  { name: 'Windows Server', os: true },
  { name: 'Windows 11', os: true },
  { name: 'Linux', os: true },
  { name: 'lab', os: true },
  { name: 'Lab', os: false },
  { name: 'Web tier', os: false },
  { name: 'Printers%', os: false },
  { name: 'Ünïcode', os: false },
];

const endpoints: readonly EndpointSpec[] = [
  {
    key: 'web1',
    name: 'web-01.contoso.com',
    group: 'Servers',
    risk: 'High',
    tags: ['Prod', 'Web'],
    profiles: ['Windows Server', 'Web tier'],
  },
  {
    key: 'web2',
    name: 'WEB-02.CONTOSO.COM',
    group: 'servers',
    risk: 'Medium',
    tags: ['prod'],
    profiles: ['Windows Server'],
  },
  { key: 'bare', name: null, group: null, risk: 'None', tags: [], profiles: [] },
  {
    key: 'wild',
    name: '100%_done',
    group: 'Lab_%',
    risk: 'Low',
    tags: ['50%', 'a_b', 'back\\slash'],
    profiles: ['Lab', 'lab'],
  },
  {
    key: 'laptop',
    name: 'laptop-7',
    group: 'Workstations',
    risk: 'Critical',
    tags: ['VIP', 'Finance'],
    profiles: ['Windows 11'],
  },
  {
    key: 'ecole',
    name: 'ÉCOLE-01',
    group: 'Écoles',
    risk: 'Low',
    tags: ['Élève', 'eleve'],
    profiles: ['Windows 11', 'Ünïcode'],
  },
  {
    key: 'db',
    name: 'db-01',
    group: 'Servers',
    risk: 'Critical',
    tags: ['PROD', 'DB'],
    profiles: ['Linux', 'Web tier'],
  },
  { key: 'kiosk', name: 'kiosk', group: '', risk: 'None', tags: ['kiosk'], profiles: [] },
  { key: 'dev', name: 'dev\uFFFDbox', group: 'Dev', risk: 'Medium', tags: [''], profiles: ['Linux'] },
  {
    key: 'printer',
    name: 'printer_1',
    group: null,
    risk: 'High',
    tags: ['Printers', 'prod'],
    profiles: ['Printers%'],
  },
  {
    key: 'ws11',
    name: 'WORKSTATION-11',
    group: 'workstations',
    risk: 'Low',
    tags: [],
    profiles: ['Windows 11', 'lab'],
  },
  { key: 'orphan', name: 'no-patches', group: 'Servers', risk: 'High', tags: ['prod'], profiles: ['Lab'] },
];

const patches: readonly PatchSpec[] = [
  {
    key: 'kb5034441',
    name: 'KB5034441',
    vendor: 'microsoft',
    software: 'windows_10',
    severity: ['Critical', 3],
    exploitability: ['ExploitIsInKit', 3],
    knownExploit: true,
    updateAvailable: true,
    networkAccessible: true,
    cvss: 9.8,
    cveCount: 3,
    endpointCount: 4,
    endpoints: ['web1', 'web2', 'laptop', 'ws11', 'ecole'],
  },
  {
    key: 'chrome',
    name: 'Update Chrome to version 120.0',
    vendor: 'google',
    software: 'chrome',
    severity: ['High', 2],
    exploitability: ['ExploitIsPublic', 1],
    knownExploit: true,
    updateAvailable: true,
    networkAccessible: false,
    cvss: 8.8,
    cveCount: 5,
    endpointCount: 3,
    endpoints: ['laptop', 'ws11', 'dev', 'bare'],
  },
  {
    key: 'wild',
    name: 'KB_100%',
    vendor: null,
    software: null,
    severity: [null, -1],
    exploitability: [null, -1],
    knownExploit: false,
    updateAvailable: false,
    networkAccessible: true,
    cvss: null,
    cveCount: 0,
    endpointCount: 2,
    endpoints: ['bare', 'wild', 'kiosk', 'printer'],
  },
  {
    key: 'firefox',
    name: 'Update Firefox',
    vendor: 'Mozilla',
    software: 'Firefox',
    severity: ['Medium', 1],
    exploitability: ['NoExploit', 0],
    knownExploit: false,
    updateAvailable: true,
    networkAccessible: false,
    cvss: 5,
    cveCount: 1,
    endpointCount: 1,
    endpoints: ['ecole', 'dev', 'web1'],
  },
  {
    key: 'kb-old',
    name: 'kb5034441-old',
    vendor: 'MICROSOFT',
    software: 'Windows_10',
    severity: ['Low', 0],
    exploitability: ['ExploitIsVerified', 2],
    knownExploit: true,
    updateAvailable: false,
    networkAccessible: true,
    cvss: 7.1,
    cveCount: 2,
    endpointCount: 2,
    endpoints: ['web1', 'db', 'wild'],
  },
  {
    key: 'backslash',
    name: 'Patch \\ backslash',
    vendor: 'acme',
    software: 'tool%_x',
    severity: ['Unknown', -1],
    exploitability: [null, -1],
    knownExploit: false,
    updateAvailable: true,
    networkAccessible: false,
    cvss: 0,
    cveCount: 1,
    endpointCount: 5,
    endpoints: ['kiosk', 'printer', 'db', 'bare', 'web2'],
  },
  {
    key: 'java',
    name: 'Java update',
    vendor: 'oracle',
    software: 'jre',
    severity: ['high', 2],
    exploitability: [null, -1],
    knownExploit: true,
    updateAvailable: true,
    networkAccessible: true,
    cvss: 10,
    cveCount: 12,
    endpointCount: 6,
    endpoints: ['web1', 'web2', 'db', 'laptop', 'printer', 'ecole'],
  },
  {
    key: 'editeur',
    name: 'É update',
    vendor: 'Éditeur',
    software: 'éditeur',
    severity: ['Medium', 1],
    exploitability: ['ExploitIsPublic', 1],
    knownExploit: false,
    updateAvailable: false,
    networkAccessible: false,
    cvss: 4.3,
    cveCount: 1,
    endpointCount: 1,
    endpoints: ['ws11', 'kiosk', 'dev', 'wild'],
  },
];

type EndpointIds = ReadonlyMap<string, number>;

async function seed(db: Kysely<Database>): Promise<EndpointIds> {
  await db
    .insertInto('integrations')
    .values({
      id: integrationId,
      name: 'strategy',
      product: 'endpoint',
      tenant_id: 'contoso.onmicrosoft.com',
      client_id: '00000000-0000-4000-8000-000000000001',
      credential_type: 'secret',
      credential_ciphertext: 'not-used',
      credential_set_at: now,
      api_base_url: 'https://api.securitycenter.microsoft.com',
      enabled: 1,
      imports: '{}',
      schedules: '{}',
      filters: '{}',
      created_at: now,
      updated_at: now,
    })
    .execute();
  const profileIds = await seedProfiles(db);
  const endpointIds = new Map<string, number>();
  for (const endpoint of endpoints) {
    const { id } = await db
      .insertInto('endpoints')
      .values({
        integration_id: integrationId,
        machine_id: endpoint.key,
        computer_dns_name: endpoint.name,
        rbac_group_name: endpoint.group,
        risk_level: endpoint.risk,
        risk_rank: riskLevels.indexOf(endpoint.risk),
        machine_tags: JSON.stringify(endpoint.tags),
        ip_addresses: '[]',
        raw: '{}',
        stale: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    endpointIds.set(endpoint.key, id);
    for (const profile of endpoint.profiles) {
      await db
        .insertInto('endpoint_profiles')
        .values({ endpoint_id: id, profile_id: profileIds.get(profile)!, match_score: 1 })
        .execute();
    }
  }
  for (const patch of patches) await seedPatch(db, patch, endpointIds);
  return endpointIds;
}

async function seedProfiles(db: Kysely<Database>): Promise<ReadonlyMap<string, number>> {
  const ids = new Map<string, number>();
  for (const profile of profiles) {
    const { id } = await db
      .insertInto('profiles')
      .values({
        integration_id: profile.os ? integrationId : null,
        name: profile.name,
        kind: profile.os ? 'os' : 'rule',
        rule: null,
        match_score: 1,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(profile.name, id);
  }
  return ids;
}

async function seedPatch(db: Kysely<Database>, patch: PatchSpec, endpointIds: EndpointIds): Promise<void> {
  await db
    .insertInto('patches')
    .values({
      integration_id: integrationId,
      patch_key: patch.key,
      name: patch.name,
      fixing_update_id: null,
      fixing_update_url: null,
      software_vendor: patch.vendor,
      software_name: patch.software,
      severity: patch.severity[0],
      severity_rank: patch.severity[1],
      exploitability_level: patch.exploitability[0],
      exploitability_rank: patch.exploitability[1],
      known_exploit: patch.knownExploit ? 1 : 0,
      update_available: patch.updateAvailable ? 1 : 0,
      network_accessible: patch.networkAccessible ? 1 : 0,
      max_cvss: patch.cvss,
      cves: '[]',
      cve_count: patch.cveCount,
      endpoint_count: patch.endpointCount,
      devices_not_imported: 0,
      open_findings: 1,
      software_versions: '[]',
      endpoint_ids: JSON.stringify(patch.endpoints.map((endpoint) => endpointIds.get(endpoint)!)),
      updated_at: now,
    })
    .execute();
}

/** The evaluator's view of every (patch × endpoint) pair the query joins, keyed like the query's results. */
function strategyRows(endpointIds: EndpointIds): ReadonlyMap<string, StrategyRow> {
  const byKey = new Map(endpoints.map((endpoint) => [endpoint.key, endpoint]));
  const rows = new Map<string, StrategyRow>();
  for (const patch of patches) {
    for (const key of patch.endpoints) {
      const endpoint = byKey.get(key)!;
      rows.set(pairKey(patch.key, endpointIds.get(key)!), {
        patch: {
          severityLevel: patch.severity[0],
          exploitabilityLevel: patch.exploitability[0],
          knownExploitExists: patch.knownExploit,
          securityUpdateAvailable: patch.updateAvailable,
          networkAccessible: patch.networkAccessible,
          vendor: patch.vendor,
          software: patch.software,
          cvss: patch.cvss,
          name: patch.name,
          cveCount: patch.cveCount,
          endpointCount: patch.endpointCount,
        },
        endpoint: {
          profiles: endpoint.profiles,
          deviceGroup: endpoint.group,
          name: endpoint.name,
          riskLevel: endpoint.risk,
          tags: endpoint.tags,
        },
      });
    }
  }
  return rows;
}

function pairKey(patchKey: string, endpointId: number): string {
  return `${patchKey}#${endpointId}`;
}

// ---------------------------------------------------------------------------------------------------------
// Running an expression both ways

function matchingQuery(source: string, dialect: Dialect) {
  return sql<{ patch_key: string; endpoint_id: number }>`select p.patch_key, e.id as endpoint_id
    from ${patchEndpointPairs(dialect)}
    where ${compileStrategy(parseStrategyExpression(source), dialect)}`;
}

async function fromSql(store: Store, source: string): Promise<string[]> {
  const { rows } = await matchingQuery(source, store.dialect).execute(store.db);
  return rows.map((row) => pairKey(row.patch_key, row.endpoint_id)).sort();
}

function fromEvaluator(rows: ReadonlyMap<string, StrategyRow>, source: string): string[] {
  const expr = parseStrategyExpression(source);
  return [...rows]
    .filter(([, row]) => evaluateStrategy(expr, row))
    .map(([key]) => key)
    .sort();
}

// ---------------------------------------------------------------------------------------------------------
// Hand-written expressions: every field × operator, nulls, case, wildcards, and the not/!= distinction.

const handWritten: readonly string[] = [
  // Levels, by rank; null and unknown ('Unknown', rank -1) severities make every condition false.
  'Defender.SeverityLevel = "High"',
  "defender.severitylevel = 'high'",
  'Defender.SeverityLevel != "High"',
  'not (Defender.SeverityLevel = "High")',
  'Defender.SeverityLevel < "High"',
  'Defender.SeverityLevel <= "medium"',
  'Defender.SeverityLevel > "Low"',
  'Defender.SeverityLevel >= "CRITICAL"',
  'Defender.SeverityLevel in ("Low", "Critical")',
  'Defender.SeverityLevel not in ("Low", "Critical")',
  'not (Defender.SeverityLevel < "Critical")',
  'Defender.ExploitabilityLevel = "ExploitIsInKit"',
  'Defender.ExploitabilityLevel != "NoExploit"',
  'Defender.ExploitabilityLevel < "ExploitIsVerified"',
  'Defender.ExploitabilityLevel >= "exploitispublic"',
  'Defender.ExploitabilityLevel > "NoExploit"',
  'Defender.ExploitabilityLevel <= "NoExploit"',
  'Defender.ExploitabilityLevel in ("NoExploit", "ExploitIsInKit")',
  'Defender.ExploitabilityLevel not in ("NoExploit")',
  'not (Defender.ExploitabilityLevel > "NoExploit")',
  'Endpoint.RiskLevel = "none"',
  'Endpoint.RiskLevel != "None"',
  'Endpoint.RiskLevel < "Medium"',
  'Endpoint.RiskLevel <= "Low"',
  'Endpoint.RiskLevel > "critical"',
  'Endpoint.RiskLevel >= "High"',
  'Endpoint.RiskLevel in ("None", "Critical")',
  'Endpoint.RiskLevel not in ("Low", "medium")',
  // Booleans.
  'Defender.KnownExploitExists = true',
  'Defender.KnownExploitExists = false',
  'Defender.KnownExploitExists != true',
  'Defender.KnownExploitExists != FALSE',
  'not (Defender.KnownExploitExists = true)',
  'Defender.SecurityUpdateAvailable = true',
  'Defender.SecurityUpdateAvailable != true',
  'Defender.SecurityUpdateAvailable = false',
  'Defender.NetworkAccessible = true',
  'Defender.NetworkAccessible != true',
  'not (Defender.NetworkAccessible = false)',
  'Defender.NetworkAccessible = true and Defender.KnownExploitExists = true',
  // Numbers; Cvss is null on one patch, so != and not differ there. 7.1 is a PostgreSQL real.
  'Cvss = 9.8',
  'Cvss != 9.8',
  'not (Cvss = 9.8)',
  'Cvss < 7.1',
  'Cvss <= 7.1',
  'Cvss >= 7.1',
  'Cvss = 7.1',
  'Cvss = 7.10000001',
  'Cvss > 5',
  'Cvss >= 10',
  'Cvss >= -1',
  'Cvss = 0',
  'Cvss in (9.8, 4.3, 0)',
  'Cvss not in (9.8, 7.1)',
  'not (Cvss > 5)',
  'Patch.CveCount = 0',
  'Patch.CveCount > 2',
  'Patch.CveCount <= 2.5',
  'Patch.CveCount < 1.5',
  'Patch.CveCount != 3',
  'Patch.CveCount in (1, 2)',
  'Patch.CveCount not in (0, 12)',
  'Patch.EndpointCount >= 4',
  'Patch.EndpointCount < 3',
  'Patch.EndpointCount = 12',
  'Patch.EndpointCount in (1, 6, 100)',
  // Single-valued strings: case, nulls, wildcard characters taken literally, ASCII-only folding.
  'Software.Vendor = "microsoft"',
  'Software.Vendor = "MICROSOFT"',
  'Software.Vendor != "microsoft"',
  'not (Software.Vendor = "microsoft")',
  'Software.Vendor in ("Google", "mozilla")',
  'Software.Vendor not in ("google")',
  'Software.Vendor contains "SOFT"',
  'Software.Vendor contains ""',
  'not (Software.Vendor contains "o")',
  'Software.Vendor = "éditeur"',
  'Software.Vendor = "Éditeur"',
  'Software.Vendor = "ÉDITEUR"',
  'Software.Name = "windows_10"',
  'Software.Name contains "_"',
  'Software.Name contains "%"',
  'Software.Name contains "%_"',
  'Software.Name contains "ws_1"',
  'Software.Name contains "w_"',
  'Software.Name != "chrome"',
  'Software.Name not in ("chrome", "FIREFOX")',
  'Software.Name contains "É"',
  'Patch.Name = "kb5034441"',
  'Patch.Name contains "KB"',
  'Patch.Name contains "100%"',
  'Patch.Name contains "%"',
  'Patch.Name contains "_"',
  'Patch.Name contains "\\\\"',
  'Patch.Name = "patch \\\\ BACKSLASH"',
  'Patch.Name contains "b_1"',
  'Patch.Name contains "k%"',
  'Patch.Name != "kb5034441"',
  'Patch.Name in ("java UPDATE", "update firefox")',
  'Patch.Name not in ("KB_100%")',
  'Patch.Name contains "é"',
  'Patch.Name contains "É"',
  'Endpoint.DeviceGroup = "servers"',
  'Endpoint.DeviceGroup != "Servers"',
  'not (Endpoint.DeviceGroup = "servers")',
  'Endpoint.DeviceGroup contains "%"',
  'Endpoint.DeviceGroup contains "_"',
  'Endpoint.DeviceGroup contains "b_"',
  'Endpoint.DeviceGroup = ""',
  'Endpoint.DeviceGroup != ""',
  'Endpoint.DeviceGroup contains ""',
  'Endpoint.DeviceGroup in ("lab_%", "DEV")',
  'Endpoint.DeviceGroup not in ("servers")',
  'Endpoint.DeviceGroup = "écoles"',
  'Endpoint.DeviceGroup = "Écoles"',
  'Endpoint.Name contains "%_"',
  'Endpoint.Name = "100%_DONE"',
  'Endpoint.Name contains "web"',
  'Endpoint.Name contains "WEB"',
  'Endpoint.Name != "kiosk"',
  'not (Endpoint.Name contains "-")',
  'Endpoint.Name in ("kiosk", "laptop-7", "nothing")',
  'Endpoint.Name not in ("kiosk")',
  'Endpoint.Name contains "école"',
  'Endpoint.Name contains "École"',
  'Endpoint.Name contains "\uFFFD"',
  // Multi-valued: = in contains on any value; != on none (true for an endpoint with none).
  'Endpoint.Profile = "lab"',
  'Endpoint.Profile = "Windows Server"',
  'Endpoint.Profile != "Lab"',
  'not (Endpoint.Profile = "Lab")',
  'Endpoint.Profile != "nothing"',
  'Endpoint.Profile in ("linux", "windows 11")',
  'Endpoint.Profile not in ("linux")',
  'Endpoint.Profile contains "windows"',
  'Endpoint.Profile contains "%"',
  'Endpoint.Profile contains "s%"',
  'Endpoint.Profile contains "_"',
  'Endpoint.Profile contains ""',
  'not (Endpoint.Profile contains "")',
  'Endpoint.Profile = "ünïcode"',
  'Endpoint.Profile = "Ünïcode"',
  'Endpoint.Tag = "prod"',
  'Endpoint.Tag != "prod"',
  'not (Endpoint.Tag = "prod")',
  'Endpoint.Tag in ("web", "DB")',
  'Endpoint.Tag not in ("prod")',
  'Endpoint.Tag contains "%"',
  'Endpoint.Tag contains "_"',
  'Endpoint.Tag contains "a_"',
  'Endpoint.Tag contains "\\\\"',
  'Endpoint.Tag contains ""',
  'Endpoint.Tag = ""',
  'Endpoint.Tag != ""',
  'Endpoint.Tag = "eleve"',
  'Endpoint.Tag = "élève"',
  'Endpoint.Tag = "Élève"',
  // Texts no column can hold (NUL, lone surrogates): matched by nothing, so != and not in hold.
  'Patch.Name != "a\u0000b"',
  'Patch.Name = "a\u0000b"',
  'Endpoint.Tag != "\u0000"',
  'Endpoint.Name contains "\uD800"',
  'Endpoint.Name != "\uDFFF"',
  'Endpoint.Name in ("\u0000", "kiosk")',
  'Endpoint.DeviceGroup not in ("\uD800")',
  // Nesting.
  'not (Cvss > 5 or Defender.SeverityLevel = "Low")',
  'not (Cvss > 5) and not (Software.Vendor = "microsoft")',
  'not not (Cvss != 9.8)',
  '(Endpoint.Tag = "prod" or Endpoint.Profile = "lab") and not (Endpoint.Name contains "web")',
  'Endpoint.Tag != "prod" and Endpoint.Profile != "lab" or Cvss >= 9.8',
  'not (Endpoint.DeviceGroup = "servers" and Patch.CveCount > 1)',
  'Software.Vendor not in ("microsoft") or not (Software.Name != "chrome")',
  'not (not (Endpoint.Name = "kiosk") or Cvss < 5)',
  'not (Defender.SeverityLevel >= "Low" or Defender.ExploitabilityLevel >= "NoExploit")',
  'Endpoint.RiskLevel >= "High" and (Defender.KnownExploitExists = true or Cvss >= 9)',
];

// ---------------------------------------------------------------------------------------------------------
// Random expressions, as source text, from a seeded generator.

/** Flips the case of some ASCII letters, as a person might write them. */
function scrambleCase(random: Random, text: string): string {
  return text.replace(/[A-Za-z]/g, (c) =>
    random() < 0.3 ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c,
  );
}

const numberPool: { readonly [F in StrategyFieldName]?: readonly number[] } = {
  Cvss: [0, 4.3, 5, 7.1, 8.8, 9.8, 10, 7.5, -1, 11, 4.2999],
  'Patch.CveCount': [0, 1, 2, 3, 5, 12, 1.5, 2.5, -1, 100],
  'Patch.EndpointCount': [1, 2, 3, 4, 5, 6, 0, 3.5, 7],
};

/** Values the data holds for a string field, so random conditions often match something. */
function stringsOf(field: StrategyFieldName): string[] {
  const values: (string | null)[] = [];
  for (const patch of patches) {
    if (field === 'Software.Vendor') values.push(patch.vendor);
    if (field === 'Software.Name') values.push(patch.software);
    if (field === 'Patch.Name') values.push(patch.name);
  }
  for (const endpoint of endpoints) {
    if (field === 'Endpoint.DeviceGroup') values.push(endpoint.group);
    if (field === 'Endpoint.Name') values.push(endpoint.name);
    if (field === 'Endpoint.Profile') values.push(...endpoint.profiles);
    if (field === 'Endpoint.Tag') values.push(...endpoint.tags);
  }
  return values.filter((value) => value !== null);
}

const oddStrings = ['%', '_', '\\', '', 'x', '%_', 'é', 'É', 'nothing'];

function randomString(random: Random, field: StrategyFieldName, substring: boolean): string {
  if (random() < 0.2) return pick(random, oddStrings);
  const text = scrambleCase(random, pick(random, stringsOf(field)));
  if (!substring) return text;
  const start = Math.floor(random() * text.length);
  return text.slice(start, start + 1 + Math.floor(random() * 4));
}

function literal(random: Random, field: StrategyFieldName, substring = false): string {
  const definition = strategyFields[field];
  switch (definition.type) {
    case 'level':
      return `"${scrambleCase(random, pick(random, definition.level ?? []))}"`;
    case 'boolean':
      return scrambleCase(random, random() < 0.5 ? 'true' : 'false');
    case 'number':
      return String(pick(random, numberPool[field] ?? [0]));
    case 'string': {
      const text = randomString(random, field, substring);
      return random() < 0.5 ? `"${text.replace(/["\\]/g, '\\$&')}"` : `'${text.replace(/['\\]/g, '\\$&')}'`;
    }
  }
}

function randomCondition(random: Random): string {
  const field = pick(random, strategyFieldNames);
  const operator = pick(random, strategyOperators[strategyFields[field].type]);
  const name = scrambleCase(random, field);
  switch (operator) {
    case 'in':
    case 'not in': {
      const values = Array.from({ length: 1 + Math.floor(random() * 3) }, () => literal(random, field));
      return `${name} ${operator} (${values.join(', ')})`;
    }
    case 'contains':
      return `${name} contains ${literal(random, field, true)}`;
    default:
      return `${name} ${operator} ${literal(random, field)}`;
  }
}

function randomSource(random: Random, depth: number): string {
  if (depth === 0 || random() < 0.3) return randomCondition(random);
  const roll = random();
  if (roll < 0.25) return `not (${randomSource(random, depth - 1)})`;
  const left = randomSource(random, depth - 1);
  const right = randomSource(random, depth - 1);
  const joined = `${left} ${roll < 0.6 ? 'and' : 'or'} ${right}`;
  return random() < 0.5 ? `(${joined})` : joined;
}

const randomSources: readonly string[] = (() => {
  const random = seeded(20260101);
  return Array.from({ length: 200 }, () => randomSource(random, 4));
})();

// ---------------------------------------------------------------------------------------------------------

/** One condition per field in turn, nested behind as many `not` and parentheses as the parser takes. */
function sourceAtTheLimits(): string {
  const { maxConditions, maxDepth } = strategyExpressionLimits;
  const conditions = Array.from({ length: maxConditions }, (_, i) =>
    i % 3 === 0 ? `Endpoint.Tag != "prod"` : i % 3 === 1 ? `Cvss != ${i}` : `Endpoint.Name != "n${i}"`,
  );
  const nots = maxDepth / 2;
  const parentheses = maxDepth - nots - 1;
  return `${'not '.repeat(nots)}(${'('.repeat(parentheses)}${conditions.join(' and ')}${')'.repeat(parentheses)})`;
}

describe.each(dialects)('strategy SQL on %s', (dialect) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let rows: ReadonlyMap<string, StrategyRow>;

  beforeAll(async () => {
    ({ store, dispose } = await freshStore(dialect));
    rows = strategyRows(await seed(store.db));
  });
  afterAll(() => dispose());

  it.each(handWritten.map((source) => ({ label: JSON.stringify(source), source })))(
    'should match the evaluator on $label',
    async ({ source }) => {
      expect(await fromSql(store, source)).toEqual(fromEvaluator(rows, source));
    },
  );

  it('should match the evaluator on 200 random expressions', async () => {
    const mismatches: { source: string; sql: string[]; evaluator: string[] }[] = [];
    let selective = 0;
    for (const source of randomSources) {
      const [fromDatabase, expected] = [await fromSql(store, source), fromEvaluator(rows, source)];
      if (expected.length > 0 && expected.length < rows.size) selective++;
      if (JSON.stringify(fromDatabase) !== JSON.stringify(expected)) {
        mismatches.push({ source, sql: fromDatabase, evaluator: expected });
      }
    }
    expect(mismatches).toEqual([]);
    // Expressions that match all rows or none say little; most must split the data.
    expect(selective).toBeGreaterThan(randomSources.length / 2);
  });

  it('should see every pair the query joins, and only those', async () => {
    const everything = 'Cvss = 1 or not (Cvss = 1)';
    expect(await fromSql(store, everything)).toEqual([...rows.keys()].sort());
  });

  it('should bind every value as a parameter', () => {
    const source = `Patch.Name = "x'); DROP TABLE patches; --" or Endpoint.Tag contains "it's" or Cvss > 7.25`;
    const compiled = matchingQuery(source, dialect).compile(store.db);
    expect(compiled.sql).not.toMatch(/drop table|it's|7\.25/i);
    expect(compiled.parameters).toEqual(
      expect.arrayContaining(["x'); drop table patches; --", "it's", 7.25]),
    );
  });

  it('should run an expression at the parser limits', async () => {
    const source = sourceAtTheLimits();
    expect(await fromSql(store, source)).toEqual(fromEvaluator(rows, source));
  });
});
