import type { Software } from '../../defender/index.js';
import { type Dataset, type DatasetContext, signalOption } from '../dataset.js';
import { storedFlag, storedRecordJson } from '../stored-record.js';
import { defenderPages, knownPage, syncCatalog } from '../catalog-sync.js';
import { FindingsCveAnswer } from '../software-cves.js';
import type { Repositories, SoftwareRecord } from '../../store/index.js';

/** The products it writes with their links, and the findings run whose CVE lists it takes. */
export type SoftwareDeps = Pick<Repositories, 'software' | 'syncRuns'>;

function toSoftwareRecord(s: Software, integrationId: string, runId: number, now: string): SoftwareRecord {
  return {
    integrationId,
    softwareId: s.id,
    name: s.name ?? null,
    vendor: s.vendor ?? null,
    weaknesses: s.weaknesses ?? null,
    publicExploit: storedFlag(s.publicExploit),
    activeAlert: storedFlag(s.activeAlert),
    exposedMachines: s.exposedMachines ?? null,
    installedMachines: s.installedMachines ?? null,
    impactScore: s.impactScore ?? null,
    endOfSupportStatus: s.endOfSupportStatus ?? null,
    endOfSupportDate: s.endOfSupportDate?.raw ?? null,
    raw: storedRecordJson(s),
    runId,
    updatedAt: now,
  };
}

/**
 * Where the run takes CVE lists from: the findings the integration's latest findings run tallied, when it imports
 * vulnerabilities and that run is at most one machines interval old (the findings follow each machines run); the
 * per-product call stays for whatever they cannot answer (see FindingsCveAnswer).
 */
async function findingsAnswer(ctx: DatasetContext<SoftwareDeps>): Promise<FindingsCveAnswer> {
  const { integration, deps } = ctx;
  if (!integration.imports.vulnerabilities) return FindingsCveAnswer.none();
  return FindingsCveAnswer.from(
    await deps.syncRuns.latest(integration.id, 'findings'),
    await deps.software.findingCves(integration.id),
    { now: new Date(), maxAgeMs: integration.schedules.machines * 60_000 },
  );
}

/**
 * The software inventory (`/api/Software`) and, per product, the machines it is installed on
 * (`/api/Software/{id}/machineReferences`) and its CVEs: from the findings already read when they answer for the
 * product, else `/api/Software/{id}/vulnerabilities`, in a second pass once the findings run of the same sync is
 * over. Calls per product and page, never one per machine, however large the tenant. The machine lists stay a call per product: the export names only machines with a finding of
 * the product, not every machine it is installed on. After a complete run, products Defender no longer lists are
 * removed.
 */
export const softwareDataset: Dataset<SoftwareDeps> = {
  name: 'software',
  // Its products and machine lists need no other dataset, but it starts once the machines are stored: beside the
  // machines run, its link writes would queue ahead of theirs and hold up the findings, which wait for them. Its CVE
  // lists come from the findings run, so the products are read beside that run and the CVE lists after it.
  after: ['machines'],
  readsLater: ['findings'],
  enabled: (integration) => integration.imports.software,
  async run(ctx) {
    const { integration, client, deps, runId } = ctx;
    const signal = signalOption(ctx);
    // Known once the findings run is over; the completeness note reports how it answered.
    let answer = FindingsCveAnswer.none();
    const outcome = await syncCatalog<Software>(ctx, {
      items: client.software.list(signal),
      targets: [
        { kind: 'machine', read: (p) => defenderPages(client.software.machineReferences(p.id, signal)) },
      ],
      laterTargets: async () => {
        await ctx.laterInputs();
        answer = await findingsAnswer(ctx);
        const cves = answer;
        return [
          {
            kind: 'vulnerability',
            read: (p) => {
              const known = cves.cvesOf(p);
              return known === undefined
                ? defenderPages(client.software.vulnerabilities(p.id, signal))
                : knownPage(known);
            },
          },
        ];
      },
      store: (product) =>
        deps.software.upsert(toSoftwareRecord(product, integration.id, runId, new Date().toISOString())),
      links: deps.software.links,
      what: 'software products',
    });
    return { ...outcome, completeness: `${outcome.completeness}; ${answer.describe()}` };
  },
};
