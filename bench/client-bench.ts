/**
 * `npm run bench:client`: pages a large simulated tenant through the Defender client and prints API calls
 * against the page-cap minimum, records/s and peak RSS per dataset. The simulator runs in its own process, so
 * the RSS figures are the client's alone.
 *
 *   BENCH_MACHINES=100000 BENCH_FINDINGS_PER_MACHINE=50 npm run bench:client
 */
import { createDefenderClient, type Batch } from '../src/defender/index.js';
import { measure, startSimulatorProcess } from './simulator-process.js';

const machines = Number(process.env.BENCH_MACHINES ?? 100_000);
const findingsPerMachine = Number(process.env.BENCH_FINDINGS_PER_MACHINE ?? 50);
const datasets = (process.env.BENCH_DATASETS ?? 'machines,findingsJson,findingsFiles,alerts').split(',');

async function count(
  batches: AsyncIterable<Batch<unknown> & { file?: number }>,
): Promise<{ records: number; rejected: number; files: number }> {
  let records = 0;
  let rejected = 0;
  const files = new Set<number>();
  for await (const batch of batches) {
    records += batch.items.length;
    rejected += batch.rejected.length;
    if (batch.file !== undefined) files.add(batch.file);
  }
  return { records, rejected, files: files.size };
}

const sim = await startSimulatorProcess(machines, findingsPerMachine, 0);
const client = createDefenderClient({
  tenantId: sim.tenantId,
  clientId: sim.clientId,
  credential: { type: 'secret', clientSecret: sim.clientSecret },
  apiBaseUrl: sim.apiBaseUrl,
  authorityHost: sim.authorityHost,
  graphBaseUrl: sim.graphBaseUrl,
  caPem: sim.caPem,
});

/** The fewest calls the page caps allow: a call per full page plus the short last one; files: the export call plus one per file. */
const runs: Record<
  string,
  {
    run: () => AsyncIterable<Batch<unknown> & { file?: number }>;
    minimumCalls: (records: number, files: number) => number;
  }
> = {
  machines: { run: () => client.machines.list(), minimumCalls: (n) => Math.floor(n / 10_000) + 1 },
  findingsJson: {
    run: () => client.findings.exportJson({ pageSize: 200_000 }),
    minimumCalls: (n) => Math.max(1, Math.ceil(n / 200_000)),
  },
  findingsFiles: { run: () => client.exportFiles.records(), minimumCalls: (_n, files) => 1 + files },
  alerts: { run: () => client.alerts.list(), minimumCalls: (n) => Math.max(1, Math.ceil(n / 1000)) },
};

console.log(
  `defender-hub client benchmark: ${machines} machines, ~${findingsPerMachine} findings per machine, Node ${process.version}`,
);
console.log('dataset        records     rejected  API calls  minimum  records/s   ms       peak RSS MB');
try {
  for (const name of datasets) {
    const spec = runs[name];
    if (spec === undefined) throw new Error(`unknown dataset ${name}`);
    const callsBefore = client.stats.calls;
    const { result, ms, peakRssMb } = await measure(() => count(spec.run()));
    const calls = client.stats.calls - callsBefore;
    const perSecond = Math.round(result.records / (ms / 1000));
    console.log(
      `${name.padEnd(14)} ${String(result.records).padStart(9)} ${String(result.rejected).padStart(10)} ${String(calls).padStart(10)} ${String(spec.minimumCalls(result.records, result.files)).padStart(8)} ${String(perSecond).padStart(10)} ${String(Math.round(ms)).padStart(8)} ${String(peakRssMb).padStart(12)}`,
    );
  }
  console.log(`HTTP statuses: ${JSON.stringify(client.stats.byStatus)}, retries: ${client.stats.retries}`);
} finally {
  await client.close();
  sim.stop();
}
