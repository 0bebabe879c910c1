import { alertRisk, endpointRiskLevel, findingExposureRisk } from '../domain/endpoint-risk.js';
import {
  exposureLevelRisk,
  maxRisk,
  parseRiskLevel,
  riskLevels,
  riskRank,
  riskScoreRisk,
  type RiskLevel,
} from '../domain/levels.js';
import type { Finding } from '../defender/index.js';
import {
  type EndpointRiskRepository,
  type StoredEndpointRisk,
  type EndpointRiskUpdate,
  riskPageSize,
} from '../store/index.js';

/**
 * The exposure risk per machine, gathered while a findings run streams (a rank per machine, so it costs a number
 * per endpoint, never a finding).
 */
export class ExposureTally {
  readonly #ranks = new Map<string, number>();

  add(finding: Finding): void {
    if (finding.cveId == null) return;
    this.addLevels(finding.deviceId, finding.vulnerabilitySeverityLevel, finding.exploitabilityLevel);
  }

  /** Adds an open finding with a CVE by its levels (as stored). */
  addLevels(
    machineId: string,
    severity: string | null | undefined,
    exploitability: string | null | undefined,
  ): void {
    const rank = riskRank(findingExposureRisk(severity, exploitability));
    if (rank > (this.#ranks.get(machineId) ?? 0)) this.#ranks.set(machineId, rank);
  }

  of(machineId: string): RiskLevel {
    return riskLevels[this.#ranks.get(machineId) ?? 0] ?? 'None';
  }
}

/** What a run learnt, for the risk parts it can speak for; the other parts stay as stored. */
export interface RiskChanges {
  /**
   * Exposure from a complete findings run. `replace`: the run's findings are all the open ones (an endpoint with
   * none has no exposure); otherwise findings the run did not see are still open, so exposure only rises.
   */
  readonly exposure?: { readonly tally: ExposureTally; readonly replace: boolean };
  /** Recount the alert part from the stored alerts that name each endpoint. */
  readonly alerts?: boolean;
}

const storedRisk = (text: string): RiskLevel => parseRiskLevel(text) ?? 'None';

function recompute(
  row: StoredEndpointRisk,
  changes: RiskChanges,
  alert: RiskLevel | undefined,
): EndpointRiskUpdate {
  const stored = storedRisk(row.exposureRisk);
  const seen = changes.exposure?.tally.of(row.machineId);
  const exposure =
    seen === undefined ? stored : changes.exposure?.replace === true ? seen : maxRisk(stored, seen);
  const alertPart = alert ?? storedRisk(row.alertRisk);
  const level = endpointRiskLevel({
    exposure,
    alert: alertPart,
    riskScore: riskScoreRisk(row.riskScore),
    exposureLevel: exposureLevelRisk(row.exposureLevel),
  });
  return {
    id: row.id,
    riskLevel: level,
    riskRank: riskRank(level),
    exposureRisk: exposure,
    alertRisk: alertPart,
  };
}

function changed(row: StoredEndpointRisk, update: EndpointRiskUpdate): boolean {
  return (
    row.riskLevel !== update.riskLevel ||
    row.exposureRisk !== update.exposureRisk ||
    row.alertRisk !== update.alertRisk
  );
}

async function refreshRows(
  repo: EndpointRiskRepository,
  integrationId: string,
  rows: readonly StoredEndpointRisk[],
  changes: RiskChanges,
): Promise<number> {
  const alertParts = new Map<string, RiskLevel>();
  if (changes.alerts === true) {
    const alerts = await repo.alertsOf(
      integrationId,
      rows.map((r) => r.machineId),
    );
    for (const row of rows) alertParts.set(row.machineId, 'None');
    for (const alert of alerts)
      alertParts.set(alert.machineId, maxRisk(alertParts.get(alert.machineId) ?? 'None', alertRisk([alert])));
  }
  const updates = rows
    .map((row) => ({ row, update: recompute(row, changes, alertParts.get(row.machineId)) }))
    .filter(({ row, update }) => changed(row, update))
    .map(({ update }) => update);
  await repo.update(updates);
  return updates.length;
}

/**
 * Recomputes the risk of the endpoints a run touched — every endpoint of the integration, or the given machines
 * — page by page, writing only the rows whose risk changed. Returns how many changed.
 */
export async function refreshEndpointRisk(
  repo: EndpointRiskRepository,
  integrationId: string,
  machines: 'all' | ReadonlySet<string>,
  changes: RiskChanges,
): Promise<number> {
  let updated = 0;
  if (machines === 'all') {
    for (let afterId = 0; ;) {
      const rows = await repo.page(integrationId, afterId);
      if (rows.length === 0) return updated;
      updated += await refreshRows(repo, integrationId, rows, changes);
      afterId = rows[rows.length - 1]?.id ?? afterId;
    }
  }
  const ids = [...machines];
  for (let i = 0; i < ids.length; i += riskPageSize) {
    const rows = await repo.ofMachines(integrationId, ids.slice(i, i + riskPageSize));
    updated += await refreshRows(repo, integrationId, rows, changes);
  }
  return updated;
}

/**
 * After a run of changes: recounts the exposure of these machines' endpoints from their stored open findings (a
 * fix can lower it, which a tally of the changes alone cannot tell), page by page. Returns how many changed.
 */
export async function recountEndpointExposure(
  repo: EndpointRiskRepository,
  integrationId: string,
  machines: ReadonlySet<string>,
): Promise<number> {
  const ids = [...machines];
  let updated = 0;
  for (let i = 0; i < ids.length; i += riskPageSize) {
    const page = ids.slice(i, i + riskPageSize);
    const tally = new ExposureTally();
    for (const levels of await repo.findingLevelsOf(integrationId, page))
      tally.addLevels(levels.machineId, levels.severity, levels.exploitabilityLevel);
    const rows = await repo.ofMachines(integrationId, page);
    updated += await refreshRows(repo, integrationId, rows, { exposure: { tally, replace: true } });
  }
  return updated;
}
