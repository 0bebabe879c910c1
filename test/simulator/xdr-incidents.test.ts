import { describe, expect, it } from 'vitest';
import type { TruthAlert, TruthIncident } from '../../src/simulator/index.js';
import { ALL_ROLES } from '../../src/simulator/auth/roles.js';
import { GRAPH, MDE, SimHarness, type ODataPage } from './helpers.js';

/** The Microsoft 365 Defender API's App ID URI: its tokens are asked for with this resource. */
const XDR = 'https://api.security.microsoft.com';

// Field lists of Microsoft's "List incidents" page (defender-xdr/api-list-incidents.md), in its example's order.
const INCIDENT_FIELDS = [
  'incidentId',
  'redirectIncidentId',
  'incidentName',
  'createdTime',
  'lastUpdateTime',
  'assignedTo',
  'classification',
  'determination',
  'status',
  'severity',
  'tags',
  'comments',
  'alerts',
];
const ALERT_FIELDS = [
  'alertId',
  'incidentId',
  'serviceSource',
  'creationTime',
  'lastUpdatedTime',
  'resolvedTime',
  'firstActivity',
  'lastActivity',
  'title',
  'description',
  'category',
  'status',
  'severity',
  'investigationId',
  'investigationState',
  'classification',
  'determination',
  'detectionSource',
  'assignedTo',
  'actorName',
  'threatFamilyName',
  'mitreTechniques',
  'devices',
  'entities',
];
const DEVICE_FIELDS = [
  'mdatpDeviceId',
  'aadDeviceId',
  'deviceDnsName',
  'osPlatform',
  'version',
  'osProcessor',
  'osBuild',
  'healthStatus',
  'riskScore',
  'rbacGroupName',
  'rbacGroupId',
  'firstSeen',
];
const ENTITY_FIELDS = [
  'entityType',
  'sha1',
  'sha256',
  'fileName',
  'filePath',
  'processId',
  'processCommandLine',
  'processCreationTime',
  'parentProcessId',
  'parentProcessCreationTime',
  'ipAddress',
  'url',
  'accountName',
  'domainName',
  'userSid',
  'aadUserId',
  'userPrincipalName',
  'mailboxDisplayName',
  'mailboxAddress',
  'clusterBy',
  'sender',
  'recipient',
  'subject',
  'deliveryAction',
  'securityGroupId',
  'securityGroupName',
  'registryHive',
  'registryKey',
  'registryValueType',
  'registryValue',
  'deviceId',
];
const TIME7 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;

const harness = await SimHarness.start({ machines: 600, seed: 91, findingsPerMachine: 1 });
const token = await harness.token(XDR);
const truth = await harness.json<TruthIncident[]>('/_sim/truth/incidents');
const truthAlerts = await harness.json<TruthAlert[]>('/_sim/truth/alerts');

const page = (query: string): Promise<ODataPage> => harness.json<ODataPage>(`/api/incidents${query}`, token);

async function mdeError(
  path: string,
  bearer = token,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const reply = await harness.call(path, { token: bearer });
  return { status: reply.status, body: JSON.parse(reply.text) as Record<string, unknown> };
}

describe('GET /api/incidents (Microsoft 365 Defender)', () => {
  it("should send the documented incident, alert, device and entity fields, typed as the page's example", async () => {
    const first = await page('');
    expect(first['@odata.context']).toBe(`${harness.sim.url}/api/$metadata#Incidents`);
    expect(first.value).toHaveLength(100);
    expect(first['@odata.nextLink']).toBeUndefined();
    let devices = 0;
    let entities = 0;
    for (const incident of first.value) {
      expect(Object.keys(incident)).toEqual(INCIDENT_FIELDS);
      expect(typeof incident.incidentId).toBe('number');
      expect(incident.createdTime).toMatch(TIME7);
      expect(incident.lastUpdateTime).toMatch(TIME7);
      expect(['Active', 'InProgress', 'Resolved']).toContain(incident.status);
      expect(['Informational', 'Low', 'Medium', 'High']).toContain(incident.severity);
      expect(['Unknown', 'TruePositive', 'FalsePositive', 'InformationalExpectedActivity']).toContain(
        incident.classification,
      );
      for (const alert of incident.alerts as Record<string, unknown>[]) {
        expect(Object.keys(alert)).toEqual(ALERT_FIELDS);
        expect(alert.incidentId).toBe(incident.incidentId);
        expect(alert.serviceSource).toBe('MicrosoftDefenderATP');
        expect(alert.lastUpdatedTime).toMatch(TIME7);
        for (const device of alert.devices as Record<string, unknown>[]) {
          expect(Object.keys(device)).toEqual(DEVICE_FIELDS);
          devices++;
        }
        for (const entity of alert.entities as Record<string, unknown>[]) {
          expect(Object.keys(entity)).toEqual(ENTITY_FIELDS);
          entities++;
        }
      }
    }
    expect(devices).toBeGreaterThan(0);
    expect(entities).toBeGreaterThan(0);
  });

  it('should list the most recent first, each incident once over $skip, grouping the alerts the truth says', async () => {
    const records: Record<string, unknown>[] = [];
    for (let skip = 0; ; skip += 100) {
      const next = await page(`?$skip=${skip}`);
      records.push(...next.value);
      if (next.value.length < 100) break;
    }
    expect(records.map((i) => String(i.incidentId)).sort()).toEqual(truth.map((i) => i.id).sort());
    const created = records.map((i) => String(i.createdTime));
    expect(created).toEqual([...created].sort().reverse());
    const alertOf = new Map(truthAlerts.map((a) => [a.id, a]));
    for (const incident of records) {
      const expected = truth.find((t) => t.id === String(incident.incidentId))!;
      expect(incident.lastUpdateTime).toBe(expected.lastUpdateDateTime);
      expect(String(incident.severity).toLowerCase()).toBe(expected.severity);
      const alerts = incident.alerts as Record<string, unknown>[];
      expect(alerts.map((a) => a.alertId)).toEqual(expected.alertIds);
      for (const alert of alerts) {
        const devices = alert.devices as { mdatpDeviceId: string }[];
        expect(devices.map((d) => d.mdatpDeviceId)).toEqual([alertOf.get(String(alert.alertId))?.machineId]);
      }
    }
  });

  it('should filter on lastUpdateTime, createdTime, status and assignedTo', async () => {
    const times = truth.map((i) => i.lastUpdateDateTime).sort();
    const pivot = times[Math.floor(times.length / 2)]!;
    const updated = await page(`?$filter=${encodeURIComponent(`lastUpdateTime ge ${pivot}`)}`);
    expect(updated.value.map((i) => String(i.incidentId)).sort()).toEqual(
      truth
        .filter((i) => i.lastUpdateDateTime >= pivot)
        .map((i) => i.id)
        .sort(),
    );
    const resolved = await page(`?$filter=${encodeURIComponent("status eq 'Resolved'")}`);
    expect(resolved.value.length).toBe(truth.filter((i) => i.status === 'resolved').length);
    const created = await page(`?$filter=${encodeURIComponent(`createdTime lt ${pivot}`)}&$top=1`);
    expect(created.value).toHaveLength(1);
    expect(
      (await page(`?$filter=${encodeURIComponent("assignedTo eq 'nobody@example.com'")}`)).value,
    ).toEqual([]);
    const unknown = await mdeError(`/api/incidents?$filter=${encodeURIComponent("severity eq 'High'")}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: { code: 'InvalidInput' } });
  });

  it('should cap $top at 100 and refuse query options the API does not support', async () => {
    const over = await mdeError('/api/incidents?$top=101');
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ error: { code: 'BadRequest' } });
    expect(((over.body.error as { target: unknown }).target as string).length).toBeGreaterThan(0);
    const ordered = await mdeError('/api/incidents?$orderby=lastUpdateTime');
    expect(ordered.status).toBe(400);
    expect(ordered.body).toMatchObject({ error: { code: 'ODataError' } });
  });

  it("should take only a Microsoft 365 Defender token with Incident.Read.All, in MDE's error shape", async () => {
    const wrongAudience = await mdeError('/api/incidents', await harness.token(MDE));
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.body).toMatchObject({ error: { code: 'Unauthorized' } });
    expect((await mdeError('/api/incidents', await harness.token(GRAPH))).status).toBe(401);
    // The token for this resource carries its own roles only.
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      roles: string[];
    };
    expect(claims.roles.sort()).toEqual(['Incident.Read.All', 'Incident.ReadWrite.All']);
    await harness.post('/_sim/control', { roles: ALL_ROLES.filter((r) => !r.startsWith('Incident.')) });
    try {
      const refused = await mdeError('/api/incidents', await harness.token(XDR));
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        error: {
          code: 'Forbidden',
          message:
            'The application does not have any of the required application permissions (Incident.Read.All, Incident.ReadWrite.All) to access the resource.',
        },
      });
      // An MDE token of the same app still reads MDE.
      expect((await harness.call('/api/alerts?$top=1', { token: await harness.token(MDE) })).status).toBe(
        200,
      );
    } finally {
      await harness.post('/_sim/control', { roles: null });
    }
  });
});

describe('the incidents rate limit', () => {
  it('should allow 50 calls a minute and answer the 51st 429, apart from the alerts budget', async () => {
    const limited = await SimHarness.open({ machines: 5, seed: 92, rateLimits: true });
    try {
      const xdr = await limited.token(XDR);
      const statuses = await Promise.all(
        Array.from({ length: 51 }, () =>
          limited.call('/api/incidents', { token: xdr }).then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(50);
      expect(statuses.filter((s) => s === 429)).toHaveLength(1);
      const mde = await limited.token(MDE);
      const alerts = await Promise.all(
        Array.from({ length: 101 }, () =>
          limited.call('/api/alerts?$top=1', { token: mde }).then((r) => r.status),
        ),
      );
      expect(alerts.filter((s) => s === 429)).toHaveLength(1);
      // Machines have a budget of their own.
      expect((await limited.call('/api/machines?$top=1', { token: mde })).status).toBe(200);
      const stats = await limited.json<{ rateLimited: Record<string, number> }>('/_sim/stats');
      expect(stats.rateLimited).toEqual({ incidents: 1, alerts: 1 });
    } finally {
      await limited.close();
    }
  });
});
