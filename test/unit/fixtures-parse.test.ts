import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseODataCollection } from '../../src/defender/json-stream.js';
import { validateMachine } from '../../src/defender/schemas/machine.js';
import { validateVulnerability } from '../../src/defender/schemas/vulnerability.js';
import { validateFinding } from '../../src/defender/schemas/finding.js';
import { validateGraphAlert, validateMdeAlert } from '../../src/defender/schemas/alert.js';
import { validateIncident } from '../../src/defender/schemas/incident.js';
import { validateMachineAction } from '../../src/defender/schemas/machine-action.js';
import {
  apiErrorBodySchema,
  entraErrorBodySchema,
  exportFilesResponseSchema,
  tokenResponseSchema,
} from '../../src/defender/schemas/envelopes.js';
import type { RecordValidator } from '../../src/defender/schemas/record.js';
import { fixturePath, readFixture, requireFixtures } from '../support/fixtures.js';

type Shape = 'collection' | 'entity' | 'lines';
interface Case {
  readonly file: string;
  readonly shape: Shape;
  readonly validate: RecordValidator<unknown>;
  /** Records the client must refuse (a reason is required for each); every other one must be accepted. */
  readonly refused?: number;
}

/** Every published payload of an API the client reads, with the schema that must read it. */
const cases: Case[] = [
  { file: 'defender/machines-list.json', shape: 'collection', validate: validateMachine },
  { file: 'defender/machines-list-with-ipaddresses.json', shape: 'collection', validate: validateMachine },
  { file: 'defender/machine-by-id.json', shape: 'entity', validate: validateMachine },
  { file: 'defender/vulnerabilities-list.json', shape: 'collection', validate: validateVulnerability },
  {
    file: 'defender/vulnerabilities-list-2020-revision.json',
    shape: 'collection',
    validate: validateVulnerability,
  },
  { file: 'defender/vulnerability-by-id.json', shape: 'entity', validate: validateVulnerability },
  {
    file: 'defender/software-vulnerabilities-by-machine.json',
    shape: 'collection',
    validate: validateFinding,
  },
  {
    file: 'defender/software-vulnerability-changes-by-machine.json',
    shape: 'collection',
    validate: validateFinding,
  },
  { file: 'defender/alerts-list.json', shape: 'collection', validate: validateMdeAlert },
  { file: 'defender/alerts-list-expand-evidence.json', shape: 'collection', validate: validateMdeAlert },
  { file: 'defender/alert-by-id.json', shape: 'entity', validate: validateMdeAlert },
  { file: 'defender/graph-alerts-v2-list.json', shape: 'collection', validate: validateGraphAlert },
  { file: 'defender/graph-incidents-list.json', shape: 'collection', validate: validateIncident },
  { file: 'defender/machineactions-list.json', shape: 'collection', validate: validateMachineAction },
  { file: 'defender/machineaction-by-id.json', shape: 'entity', validate: validateMachineAction },
  { file: 'defender/machineaction-isolate.json', shape: 'entity', validate: validateMachineAction },
  { file: 'peers/elastic-machine-test-machine.log', shape: 'lines', validate: validateMachine },
  { file: 'peers/elastic-vulnerability-test-vulnerability.log', shape: 'lines', validate: validateFinding },
  { file: 'peers/elastic-log-test-defenderatp.log', shape: 'lines', validate: validateMdeAlert },
  {
    file: 'peers/elastic-machine_action-test-machine-action.log',
    shape: 'lines',
    validate: validateMachineAction,
  },
  { file: 'peers/elastic-m365-incident-test-incident.log', shape: 'lines', validate: validateIncident },
  { file: 'peers/elastic-m365-alert-test-alert.log', shape: 'lines', validate: validateGraphAlert },
  // Garbage firstSeen/lastSeen ("1990-1sdfsdfsdfZ", "jfowefjweoifjoie"): refused, each with its reason.
  {
    file: 'peers/defectdojo-ms_defender-multiple_files-machines.json',
    shape: 'collection',
    validate: validateMachine,
    refused: 2,
  },
  {
    file: 'peers/defectdojo-ms_defender-test-machines.json',
    shape: 'collection',
    validate: validateMachine,
    refused: 2,
  },
  { file: 'peers/demisto-mdatp-first_response_alerts.json', shape: 'collection', validate: validateMdeAlert },
  {
    file: 'peers/demisto-mdatp-second_response_alerts.json',
    shape: 'collection',
    validate: validateMdeAlert,
  },
  { file: 'peers/demisto-mdatp-third_response_alerts.json', shape: 'collection', validate: validateMdeAlert },
  {
    file: 'peers/rapid7-microsoft_atp-test_get_alerts.json.resp',
    shape: 'entity',
    validate: validateMdeAlert,
  },
  {
    file: 'peers/rapid7-microsoft_atp-test_get_machine_action.json.resp',
    shape: 'entity',
    validate: validateMachineAction,
  },
  {
    file: 'peers/rapid7-microsoft_atp-test_get_machine_information_by_id.json.resp',
    shape: 'entity',
    validate: validateMachine,
  },
  {
    file: 'peers/rapid7-microsoft_atp-test_get_machine_information_first.json.resp',
    shape: 'collection',
    validate: validateMachine,
  },
  {
    file: 'peers/rapid7-microsoft_atp-test_get_machine_information_second.json.resp',
    shape: 'collection',
    validate: validateMachine,
  },
  {
    file: 'peers/rapid7-microsoft_atp-test_get_machine_vulnerabilities.json.resp',
    shape: 'collection',
    validate: validateVulnerability,
  },
  {
    file: 'peers/rapid7-microsoft_atp-test_get_related_machines.json.resp',
    shape: 'collection',
    validate: validateMachine,
  },
  {
    file: 'peers/rapid7-microsoft_atp-test_search_machines.json.resp',
    shape: 'collection',
    validate: validateMachine,
  },
  {
    file: 'peers/rapid7-microsoft_atp-test_search_machines_empty.json.resp',
    shape: 'collection',
    validate: validateMachine,
  },
  {
    file: 'peers/rapid7-microsoft_atp-test_isolate_machine.json.resp',
    shape: 'entity',
    validate: validateMachineAction,
  },
  {
    file: 'peers/rapid7-microsoft_atp-test_unisolate_machine.json.resp',
    shape: 'entity',
    validate: validateMachineAction,
  },
  {
    file: 'peers/rapid7-microsoft_atp-test_run_antivirus_scan.json.resp',
    shape: 'entity',
    validate: validateMachineAction,
  },
  {
    file: 'peers/rapid7-microsoft_atp-test_stop_and_quarantine_file.json.resp',
    shape: 'entity',
    validate: validateMachineAction,
  },
];

async function records(file: string, shape: Shape): Promise<unknown[]> {
  const text = readFixture(...file.split('/'));
  if (shape === 'entity') return [JSON.parse(text) as unknown];
  if (shape === 'lines') {
    // Elastic's logs end with an empty page `{"value":[]}`: a page, not a record.
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((r) => !('value' in r));
  }
  const out: unknown[] = [];
  // Through the streaming parser the client itself uses, in small chunks.
  for await (const record of parseODataCollection(chunked(text, 97))) out.push(record);
  return out;
}

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  await Promise.resolve();
}

describe("published payloads through the client's schemas", () => {
  // `for`, not `each`: only `for` hands the case its test context, which requireFixtures needs.
  it.for(cases)('should read $file', async ({ file, shape, validate, refused = 0 }, ctx) => {
    requireFixtures(ctx);
    const all = await records(file, shape);
    const results = all.map((r) => validate(r));
    const rejected = results.flatMap((r) => (r.ok ? [] : [r.rejected]));
    expect(rejected.length, JSON.stringify(rejected)).toBe(refused);
    for (const r of rejected) expect(r.reason).toMatch(/\w+: /);
    expect(results.length - rejected.length).toBe(all.length - refused);
  });

  it('should keep members the schema does not name', async (ctx) => {
    requireFixtures(ctx);
    const [machine] = await records('peers/elastic-machine-test-machine.log', 'lines');
    const result = validateMachine(machine);
    expect(result.ok && result.value).toMatchObject({
      managedBy: 'Intune',
      agentVersion: '10.8790.19045.5608',
    });
  });

  it('should read PascalCase export rows like camelCase ones', async (ctx) => {
    requireFixtures(ctx);
    const rows = await records('peers/elastic-vulnerability-test-vulnerability.log', 'lines');
    const first = validateFinding(rows[0]);
    expect(
      first.ok && {
        cve: first.value.cveId,
        device: first.value.deviceId,
        ts: first.value.firstSeenTimestamp?.raw,
      },
    ).toEqual({
      cve: 'CVE-2022-49226',
      device: '1212121212121212121212',
      ts: '2025-10-06 10:43:58',
    });
  });

  it("should fill lastUpdateDateTimeUtc from the list examples' spelling", async (ctx) => {
    requireFixtures(ctx);
    const [action] = await records('defender/machineactions-list.json', 'collection');
    const result = validateMachineAction(action);
    expect(result.ok && result.value.lastUpdateDateTimeUtc?.raw).toBeTruthy();
  });

  it('should read the export, error and token envelopes', (ctx) => {
    requireFixtures(ctx);
    expect(
      exportFilesResponseSchema.safeParse(
        JSON.parse(readFixture('defender', 'software-vulnerabilities-export.json')),
      ).success,
    ).toBe(true);
    for (const f of [
      'error-resource-not-found.json',
      'error-invalid-request-body.json',
      'graph-error-403-missing-roles.json',
    ]) {
      expect(apiErrorBodySchema.safeParse(JSON.parse(readFixture('defender', f))).success, f).toBe(true);
    }
    const tokenErrors = readdirSync(fixturePath('defender')).filter((f) => f.startsWith('token-error-'));
    expect(tokenErrors.length).toBeGreaterThanOrEqual(5);
    for (const f of tokenErrors)
      expect(entraErrorBodySchema.safeParse(JSON.parse(readFixture('defender', f))).success, f).toBe(true);
    for (const f of [
      'token-success-v1.json',
      'token-success-v2.json',
      'token-success-v2-defender-curl.json',
    ]) {
      expect(tokenResponseSchema.safeParse(JSON.parse(readFixture('defender', f))).success, f).toBe(true);
    }
  });
});
