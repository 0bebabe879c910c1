import { z } from 'zod';
import type { SimulatorControl } from '../control.js';
import { FAULT_KINDS } from '../http/faults.js';
import { ApiError } from '../http/api-error.js';
import type { Exchange } from '../http/exchange.js';
import { readBody } from '../http/read-body.js';
import { jsonArrayBody } from '../http/record-bodies.js';
import { JSON_TYPE, sendChunks, sendJson } from '../http/responses.js';
import type { SimState } from '../state.js';
import { type Route, open } from '../http/route.js';
import type { Handler } from './handler.js';

const ControlBody = z.object({
  roles: z.array(z.string()).nullable().optional(),
  secretExpiresAt: z.string().nullable().optional(),
  rateLimits: z.boolean().optional(),
});

const FaultsBody = z.object({
  spec: z.string().optional(),
  queue: z
    .array(
      z.object({
        fault: z.enum(FAULT_KINDS),
        path: z.string().startsWith('/'),
        count: z.number().int().positive().default(1),
      }),
    )
    .optional(),
  clear: z.boolean().optional(),
});

const AdvanceBody = z.object({ hours: z.number().positive() });
const CertificateBody = z.object({ pem: z.string() });
const PortalActionBody = z.object({
  machineId: z.string().min(1),
  type: z.enum(['RunAntiVirusScan', 'Isolate', 'Unisolate', 'CollectInvestigationPackage']),
  scope: z.string().optional(),
  comment: z.string().optional(),
  requestor: z.string().optional(),
});
const PortalCancelBody = z.object({ comment: z.string().optional(), requestor: z.string().optional() });

async function body<T>(ex: Exchange, schema: z.ZodType<T>): Promise<T> {
  const text = await readBody(ex.req);
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError(400, 'InvalidRequestBody', 'Request body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError(400, 'InvalidRequestBody', z.prettifyError(parsed.error));
  return parsed.data;
}

/** Each a thin layer over {@link SimulatorControl}. */
function simHandlers(control: SimulatorControl) {
  return {
    getControl: async (_state, ex) => sendJson(ex, 200, control.settings()),
    postControl: async (_state, ex) => {
      const change = await body(ex, ControlBody);
      await sendJson(ex, 200, control.configure(change));
    },
    getFaults: async (_state, ex) => sendJson(ex, 200, control.faults()),
    postFaults: async (_state, ex) => {
      const change = await body(ex, FaultsBody);
      if (change.clear === true) control.clearFaults();
      if (change.spec !== undefined) control.setFaults(change.spec);
      if (change.queue !== undefined) control.queueFaults(change.queue);
      await sendJson(ex, 200, control.faults());
    },
    clock: async (_state, ex) => sendJson(ex, 200, control.clock()),
    advance: async (_state, ex) => {
      const { hours } = await body(ex, AdvanceBody);
      await sendJson(ex, 200, control.advance(hours));
    },
    certificates: async (_state, ex) => {
      const { pem } = await body(ex, CertificateBody);
      await sendJson(ex, 200, { thumbprint: control.registerCertificate(pem) });
    },
    truthSummary: async (_state, ex) => sendJson(ex, 200, await control.truthSummary()),
    truthMachines: async (state, ex) => {
      const machines = await control.truthMachines();
      await sendJsonArray(state, ex, machines);
    },
    truthFindings: async (state, ex) => {
      const machineId = ex.query.get('machineId');
      if (machineId === undefined) throw new ApiError(400, 'InvalidInput', 'machineId is required');
      const findings = control.truthFindings(machineId);
      if (findings === undefined)
        throw new ApiError(404, 'ResourceNotFound', `Machine ${machineId} was not found`);
      await sendJsonArray(state, ex, findings);
    },
    truthAlerts: async (state, ex) => sendJsonArray(state, ex, control.truthAlerts()),
    truthIncidents: async (state, ex) => sendJsonArray(state, ex, control.truthIncidents()),
    truthMachineActions: async (state, ex) => sendJsonArray(state, ex, control.truthMachineActions()),
    portalAction: async (_state, ex) => {
      const request = await body(ex, PortalActionBody);
      await sendJson(ex, 200, control.requestMachineAction(request));
    },
    portalCancel: async (_state, ex, [id = '']) => {
      const change = await body(ex, PortalCancelBody);
      await sendJson(ex, 200, control.cancelMachineAction(id, change));
    },
    stats: async (_state, ex) => sendJson(ex, 200, control.stats()),
    resetStats: async (_state, ex) => {
      control.resetStats();
      await sendJson(ex, 200, control.stats());
    },
    prepareExports: async (_state, ex) => sendJson(ex, 200, await control.prepareExports()),
  } satisfies Record<string, Handler>;
}

/**
 * The `/_sim/*` routes: settings, faults, clock, truth and stats (the truth of software, devices and ARM, and the
 * hunting settings, are their features' routes). They need no token (the server listens on loopback only) and are
 * never faulted or rate-limited.
 */
export function simControlRoutes(control: SimulatorControl): readonly Route[] {
  const sim = simHandlers(control);
  return [
    open('GET', '/_sim/control', /^\/_sim\/control$/, 'sim', sim.getControl),
    open('POST', '/_sim/control', /^\/_sim\/control$/, 'sim', sim.postControl),
    open('GET', '/_sim/faults', /^\/_sim\/faults$/, 'sim', sim.getFaults),
    open('POST', '/_sim/faults', /^\/_sim\/faults$/, 'sim', sim.postFaults),
    open('GET', '/_sim/clock', /^\/_sim\/clock$/, 'sim', sim.clock),
    open('POST', '/_sim/advance', /^\/_sim\/advance$/, 'sim', sim.advance),
    open('POST', '/_sim/certificates', /^\/_sim\/certificates$/, 'sim', sim.certificates),
    open('GET', '/_sim/truth/summary', /^\/_sim\/truth\/summary$/, 'sim', sim.truthSummary),
    open('GET', '/_sim/truth/machines', /^\/_sim\/truth\/machines$/, 'sim', sim.truthMachines),
    open('GET', '/_sim/truth/findings', /^\/_sim\/truth\/findings$/, 'sim', sim.truthFindings),
    open('GET', '/_sim/truth/alerts', /^\/_sim\/truth\/alerts$/, 'sim', sim.truthAlerts),
    open('GET', '/_sim/truth/incidents', /^\/_sim\/truth\/incidents$/, 'sim', sim.truthIncidents),
    open(
      'GET',
      '/_sim/truth/machine-actions',
      /^\/_sim\/truth\/machine-actions$/,
      'sim',
      sim.truthMachineActions,
    ),
    open('POST', '/_sim/machine-actions', /^\/_sim\/machine-actions$/, 'sim', sim.portalAction),
    open(
      'POST',
      '/_sim/machine-actions/{id}/cancel',
      /^\/_sim\/machine-actions\/([^/]+)\/cancel$/,
      'sim',
      sim.portalCancel,
    ),
    open('GET', '/_sim/stats', /^\/_sim\/stats$/, 'sim', sim.stats),
    open('POST', '/_sim/reset-stats', /^\/_sim\/reset-stats$/, 'sim', sim.resetStats),
    open('POST', '/_sim/exports/prepare', /^\/_sim\/exports\/prepare$/, 'sim', sim.prepareExports),
  ];
}

/** A plain JSON array, streamed (a truth list of 100,000 machines is ~10 MB). */
async function sendJsonArray(state: SimState, ex: Exchange, items: readonly object[]): Promise<void> {
  const records = items as readonly Record<string, unknown>[];
  await sendChunks(
    ex,
    200,
    { 'content-type': JSON_TYPE },
    jsonArrayBody('[', records, () => ']', {
      request: ex.faults,
      faults: state.faults,
      expected: items.length,
    }),
  );
}
