import { MultiBar, type Options, type Params, type SingleBar } from 'cli-progress';
import { describeRun } from '../app/describe-run.js';
import type { DatasetName } from '../domain/datasets.js';
import type { Integration } from '../domain/integration.js';
import type { SyncProgress } from '../sync/run-counters.js';
import type { SyncRun } from '../store/index.js';

/** Where the progress and the results of sync runs go, as they happen. */
export interface SyncReporter {
  /** Every run about to happen, before the first starts. */
  plan(targets: readonly { integration: Integration; datasets: readonly DatasetName[] }[]): void;
  progress(progress: SyncProgress): void;
  finished(integration: Integration, run: SyncRun): void;
  close(): void;
}

/**
 * `bars`: a multibar on stderr for a person at a terminal; `lines`: one summary line per finished run on the
 * given stream; `json`: one JSON object per finished run on stdout, for scripts.
 */
export type ReportMode = 'bars' | 'lines' | 'json';

interface BarPayload {
  integration: string;
  dataset: string;
  status: string;
  recordsIn: number;
  upserted: number;
  skipped: number;
}

const key = (integrationId: string, dataset: string): string => `${integrationId}/${dataset}`;

function barReporter(): SyncReporter {
  let nameWidth = 0;
  const format = (_options: Options, _params: Params, payload: BarPayload): string =>
    `${payload.integration.padEnd(nameWidth)}  ${payload.dataset.padEnd(15)}  ${payload.status.padEnd(12)}  ` +
    `${payload.recordsIn} read · ${payload.upserted} upserted · ${payload.skipped} skipped`;
  const multibar = new MultiBar({ format, hideCursor: true, clearOnComplete: false, stream: process.stderr });
  const bars = new Map<string, SingleBar>();
  return {
    plan(targets) {
      nameWidth = Math.max(0, ...targets.map((t) => t.integration.name.length));
      for (const { integration, datasets } of targets)
        for (const dataset of datasets) {
          const payload: BarPayload = {
            integration: integration.name,
            dataset,
            status: 'waiting',
            recordsIn: 0,
            upserted: 0,
            skipped: 0,
          };
          bars.set(key(integration.id, dataset), multibar.create(0, 0, payload));
        }
    },
    progress(p) {
      bars.get(key(p.integrationId, p.dataset))?.update({
        status: 'running',
        recordsIn: p.recordsIn,
        upserted: p.upserted,
        skipped: p.skipped,
      });
    },
    finished(integration, run) {
      bars.get(key(integration.id, run.dataset))?.update({
        status: run.status,
        recordsIn: run.recordsIn,
        upserted: run.upserted,
        skipped: run.skipped,
      });
      if (run.status !== 'succeeded') multibar.log(`${describeRun(run, integration.name)}\n`);
    },
    close() {
      multibar.stop();
    },
  };
}

/** A line per running dataset at most this often, then its summary line: progress for a log, not a terminal. */
function progressLines(lines: NodeJS.WritableStream, everyMs: number): SyncReporter {
  const names = new Map<string, string>();
  const lastLine = new Map<string, number>();
  return {
    plan(targets) {
      for (const { integration } of targets) names.set(integration.id, integration.name);
    },
    progress(p) {
      const at = performance.now();
      const k = key(p.integrationId, p.dataset);
      const last = lastLine.get(k);
      if (last !== undefined && at - last < everyMs) return;
      lastLine.set(k, at);
      const name = names.get(p.integrationId) ?? p.integrationId;
      lines.write(
        `${name} ${p.dataset}: running (${p.recordsIn} read, ${p.upserted} upserted, ${p.skipped} skipped)\n`,
      );
    },
    finished(integration, run) {
      lines.write(`${describeRun(run, integration.name)}\n`);
    },
    close: () => undefined,
  };
}

/** `progressEveryMs` (lines only): also a progress line per running dataset at most this often. */
export function createSyncReporter(
  mode: ReportMode,
  lines: NodeJS.WritableStream,
  options: { progressEveryMs?: number } = {},
): SyncReporter {
  if (mode === 'bars') return barReporter();
  if (mode === 'lines' && options.progressEveryMs !== undefined)
    return progressLines(lines, options.progressEveryMs);
  return {
    plan: () => undefined,
    progress: () => undefined,
    finished(integration, run) {
      if (mode === 'json') process.stdout.write(`${JSON.stringify(run)}\n`);
      else lines.write(`${describeRun(run, integration.name)}\n`);
    },
    close: () => undefined,
  };
}
