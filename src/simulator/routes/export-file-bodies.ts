import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip, type Gzip } from 'node:zlib';
import type { FaultDecision } from '../http/faults.js';
import { jsonLinesBody } from '../http/record-bodies.js';
import type { SimState } from '../state.js';
import type { ExportPart } from '../http/prepared-exports.js';
import { exportRecord, findingLastSeen, openFindings } from '../world/findings.js';

/** A request that suffers nothing: how a prepared file is written. */
const UNFAULTED: FaultDecision = { kind: undefined, malformedRate: 0, corruptFirst: false };

/** The machines a part covers, or undefined when the epoch has no such part (or is in the future). */
export function partMachines(state: SimState, { epoch, part }: ExportPart): Int32Array | undefined {
  if (!Number.isInteger(epoch) || epoch > state.tenant.epoch || !Number.isInteger(part)) return undefined;
  const alive = state.tenant.population.alive(epoch);
  const from = part * state.exportFileMachines;
  if (!(from >= 0 && from < alive.length)) return undefined;
  return alive.subarray(from, Math.min(alive.length, from + state.exportFileMachines));
}

/**
 * A part's gzip JSON lines, produced record by record through zlib with backpressure. `faults` is the request's
 * decision (a trickle paces it, a malformed rate corrupts records).
 */
export function exportPartBody(
  state: SimState,
  epoch: number,
  machines: Int32Array,
  faults: FaultDecision,
): Gzip {
  const { tenant } = state;
  function* records(): Generator<Record<string, unknown>> {
    for (const index of machines) {
      const core = tenant.machine(index);
      for (const slot of openFindings(tenant, core, epoch))
        yield exportRecord(tenant, core, slot, findingLastSeen(tenant, core, slot, epoch), 'full');
    }
  }
  // Fastest level: the files exist to be downloaded in volume, and the CPU is shared with the client in tests.
  const gzip = createGzip({ level: constants.Z_BEST_SPEED });
  // `expected` only paces a trickled body; an estimate of the file's records is enough.
  const expected = machines.length * Math.max(1, tenant.findingsPerMachine);
  // A failure or an aborted download destroys the gzip stream, which ends the download.
  pipeline(
    Readable.from(jsonLinesBody(records(), { request: faults, faults: state.faults, expected })),
    gzip,
  ).catch(() => undefined);
  return gzip;
}

/** Every part of an epoch's export, in order, as a download that suffers no fault would get it. */
export function* exportPartBodies(state: SimState, epoch: number): Generator<Readable> {
  for (let part = 0; ; part++) {
    const machines = partMachines(state, { epoch, part });
    if (machines === undefined) return;
    yield exportPartBody(state, epoch, machines, UNFAULTED);
  }
}
