import { sql } from 'kysely';
import { Repository } from '../db/repository.js';

/** What an endpoint's risk is computed from, as stored. */
export interface StoredEndpointRisk {
  readonly id: number;
  readonly machineId: string;
  readonly riskScore: string | null;
  readonly exposureLevel: string | null;
  readonly exposureRisk: string;
  readonly alertRisk: string;
  readonly riskLevel: string;
}

export interface EndpointRiskUpdate {
  readonly id: number;
  readonly riskLevel: string;
  readonly riskRank: number;
  readonly exposureRisk: string;
  readonly alertRisk: string;
}

/** An alert as far as an endpoint's alert risk needs it. */
export interface MachineAlert {
  readonly machineId: string;
  readonly severity: string | null;
  readonly status: string | null;
}

/** What an endpoint's exposure is counted from: the levels of one of its open findings. */
export interface MachineFindingLevels {
  readonly machineId: string;
  readonly severity: string | null;
  readonly exploitabilityLevel: string | null;
}

/** Rows per read or update: a page of endpoints, and 5 parameters each stays under SQLite's limit. */
export const riskPageSize = 1000;

/** Reads and writes the stored parts of endpoint risk; the rules themselves live in `domain/`. */
export class EndpointRiskRepository extends Repository {
  /** A page of the integration's endpoints in id order, after `afterId`. */
  async page(integrationId: string, afterId: number): Promise<StoredEndpointRisk[]> {
    return this.#select(integrationId)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(riskPageSize)
      .execute()
      .then((rows) => rows.map(toStoredRisk));
  }

  /** The integration's endpoints among these machine ids (at most `riskPageSize` of them). */
  async ofMachines(integrationId: string, machineIds: readonly string[]): Promise<StoredEndpointRisk[]> {
    if (machineIds.length === 0) return [];
    const rows = await this.#select(integrationId)
      .where('machine_id', 'in', [...machineIds])
      .execute();
    return rows.map(toStoredRisk);
  }

  /** Every stored alert that names one of these machines (at most `riskPageSize` of them). */
  async alertsOf(integrationId: string, machineIds: readonly string[]): Promise<MachineAlert[]> {
    if (machineIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('alert_machines as m')
      .innerJoin('alerts as a', (join) =>
        join.onRef('a.integration_id', '=', 'm.integration_id').onRef('a.alert_id', '=', 'm.alert_id'),
      )
      .select(['m.machine_id', 'a.severity', 'a.status'])
      .where('m.integration_id', '=', integrationId)
      .where('m.machine_id', 'in', [...machineIds])
      .execute();
    return rows.map((r) => ({ machineId: r.machine_id, severity: r.severity, status: r.status }));
  }

  /**
   * The severity and exploitability of the open findings with a CVE of these machines (at most `riskPageSize`),
   * one row per distinct pair and machine: what each one's exposure is counted from.
   */
  async findingLevelsOf(
    integrationId: string,
    machineIds: readonly string[],
  ): Promise<MachineFindingLevels[]> {
    if (machineIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('findings')
      .select(['machine_id', 'severity', 'exploitability_level'])
      .where('integration_id', '=', integrationId)
      .where('machine_id', 'in', [...machineIds])
      .where('status', '=', 'open')
      .where('cve_id', 'is not', null)
      .groupBy(['machine_id', 'severity', 'exploitability_level'])
      .execute();
    return rows.map((r) => ({
      machineId: r.machine_id,
      severity: r.severity,
      exploitabilityLevel: r.exploitability_level,
    }));
  }

  /** Writes new risk values, one statement per page of rows. */
  async update(updates: readonly EndpointRiskUpdate[]): Promise<void> {
    for (let i = 0; i < updates.length; i += riskPageSize) {
      const rows = updates
        .slice(i, i + riskPageSize)
        .map(
          (u) =>
            sql`(cast(${u.id} as bigint), ${u.riskLevel}, cast(${u.riskRank} as integer), ${u.exposureRisk}, ${u.alertRisk})`,
        );
      // Portable across both databases: a CTE of VALUES (SQLite cannot name a VALUES subquery's columns).
      await sql`with v (id, risk_level, risk_rank, exposure_risk, alert_risk) as (values ${sql.join(rows)})
        update endpoints set risk_level = v.risk_level, risk_rank = v.risk_rank,
          exposure_risk = v.exposure_risk, alert_risk = v.alert_risk
        from v where endpoints.id = v.id`.execute(this.db);
    }
  }

  #select(integrationId: string) {
    return this.db
      .selectFrom('endpoints')
      .select([
        'id',
        'machine_id',
        'risk_score',
        'exposure_level',
        'exposure_risk',
        'alert_risk',
        'risk_level',
      ])
      .where('integration_id', '=', integrationId);
  }
}

function toStoredRisk(r: {
  id: number;
  machine_id: string;
  risk_score: string | null;
  exposure_level: string | null;
  exposure_risk: string;
  alert_risk: string;
  risk_level: string;
}): StoredEndpointRisk {
  return {
    id: r.id,
    machineId: r.machine_id,
    riskScore: r.risk_score,
    exposureLevel: r.exposure_level,
    exposureRisk: r.exposure_risk,
    alertRisk: r.alert_risk,
    riskLevel: r.risk_level,
  };
}
