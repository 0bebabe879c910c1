import { ApiHttp, type ApiCallEvent, type ApiCallStats, type ApiRequest } from './api-http.js';
import {
  resolveDefenderConfig,
  type DefenderClientConfigInput,
  type DefenderClientTuning,
  type ResolvedDefenderConfig,
} from './config.js';
import { RateGovernor, type ApiBudget } from './rate-governor.js';
import { RetryPolicy } from './retry-policy.js';
import { TokenProvider, type Audience } from './token-provider.js';
import { Transport } from './transport.js';
import { readAccessTokenClaims } from './access-token.js';
import { MachinesResource } from './resources/machines.js';
import { VulnerabilitiesResource } from './resources/vulnerabilities.js';
import { FindingsResource } from './resources/findings.js';
import { ExportFilesResource } from './resources/export-files.js';
import { AlertsResource } from './resources/alerts.js';
import { IncidentsResource } from './resources/incidents.js';
import { MachineActionsResource } from './resources/machine-actions.js';
import { HuntingResource } from './resources/hunting.js';
import { SoftwareResource } from './resources/software.js';
import { RecommendationsResource } from './resources/recommendations.js';
import { ApplicationsResource } from './resources/applications.js';
import { DevicesResource } from './resources/devices.js';
import { DefenderForCloudResource } from './resources/defender-for-cloud.js';

/**
 * The one-record reads the client can take the service's clock from: each of a list a sync is about to read, so
 * asking needs no permission the read does not need anyway.
 */
export type ClockProbe = 'graphAlerts' | 'graphIncidents' | 'mdeAlerts' | 'xdrIncidents';

export interface DefenderClientOptions {
  readonly tuning?: DefenderClientTuning;
  /**
   * Shared by every client of the same tenant and application, so their calls count against one budget (the
   * hub's come from its ApiBudgets); without it the client counts its calls alone, tuned by `tuning.governor`.
   */
  readonly governor?: ApiBudget;
  readonly onCall?: (event: ApiCallEvent) => void;
}

/**
 * The Microsoft Defender client of one tenant: typed, paged resources over the MDE API and Graph security,
 * with one transport, one retry policy and one rate governor behind them.
 *
 * ```ts
 * const client = createDefenderClient({ tenantId, clientId, credential: { type: 'secret', clientSecret } });
 * for await (const batch of client.machines.list()) store(batch.items);
 * ```
 */
export class DefenderClient {
  readonly config: ResolvedDefenderConfig;
  readonly machines: MachinesResource;
  readonly vulnerabilities: VulnerabilitiesResource;
  readonly findings: FindingsResource;
  readonly exportFiles: ExportFilesResource;
  readonly alerts: AlertsResource;
  readonly incidents: IncidentsResource;
  readonly machineActions: MachineActionsResource;
  readonly hunting: HuntingResource;
  readonly software: SoftwareResource;
  readonly recommendations: RecommendationsResource;
  /** The app registration's own credentials, for their expiry (Graph, Application.Read.All). */
  readonly applications: ApplicationsResource;
  /** Entra ID devices (Graph `/v1.0/devices`, Device.Read.All), joined to machines by `aadDeviceId`. */
  readonly devices: DevicesResource;
  /** Defender for Cloud through Azure Resource Manager (Security Reader on each subscription). */
  readonly defenderForCloud: DefenderForCloudResource;
  readonly #transport: Transport;
  readonly #tokens: TokenProvider;
  readonly #http: ApiHttp;

  constructor(config: ResolvedDefenderConfig, options: DefenderClientOptions = {}) {
    this.config = config;
    this.#transport = new Transport({
      caPem: config.caPem,
      httpsProxy: config.httpsProxy,
      noProxy: config.noProxy,
    });
    this.#tokens = new TokenProvider(config, this.#transport);
    this.#http = new ApiHttp({
      config,
      transport: this.#transport,
      tokens: this.#tokens,
      governor: options.governor ?? new RateGovernor(options.tuning?.governor),
      retry: new RetryPolicy(options.tuning?.retry),
      onCall: options.onCall,
    });
    const { apiBaseUrl, graphBaseUrl } = config;
    this.machines = new MachinesResource(this.#http, apiBaseUrl);
    this.vulnerabilities = new VulnerabilitiesResource(this.#http, apiBaseUrl);
    this.findings = new FindingsResource(this.#http, apiBaseUrl);
    this.exportFiles = new ExportFilesResource(this.#http, apiBaseUrl);
    this.alerts = new AlertsResource(this.#http, apiBaseUrl, graphBaseUrl);
    this.incidents = new IncidentsResource(this.#http, graphBaseUrl, config.xdrBaseUrl);
    this.machineActions = new MachineActionsResource(this.#http, apiBaseUrl);
    this.hunting = new HuntingResource(this.#http, apiBaseUrl, graphBaseUrl, config.clientId);
    this.software = new SoftwareResource(this.#http, apiBaseUrl);
    this.recommendations = new RecommendationsResource(this.#http, apiBaseUrl);
    this.applications = new ApplicationsResource(
      this.#http,
      graphBaseUrl,
      config.clientId,
      config.credential,
    );
    this.devices = new DevicesResource(this.#http, graphBaseUrl);
    this.defenderForCloud = new DefenderForCloudResource(this.#http, config.armBaseUrl);
  }

  /** Calls made, by status, and retries: what a run reports. */
  get stats(): Readonly<ApiCallStats> {
    return this.#http.stats;
  }

  /**
   * The service's clock: from the last answer's Date header, or from the one-record read `probe` names when this
   * client has not talked to the service yet.
   */
  async serverNow(options: { probe?: ClockProbe; signal?: AbortSignal } = {}): Promise<Date> {
    const known = this.#http.serverNow();
    if (known !== undefined) return known;
    await this.#http.json({ ...this.#probe(options.probe ?? 'graphAlerts'), signal: options.signal });
    return this.#http.serverNow() ?? new Date();
  }

  #probe(probe: ClockProbe): ApiRequest {
    const { apiBaseUrl, graphBaseUrl, xdrBaseUrl } = this.config;
    const probes: Record<ClockProbe, ApiRequest> = {
      graphAlerts: {
        url: `${graphBaseUrl}/v1.0/security/alerts_v2?$top=1`,
        audience: 'graph',
        apiClass: 'graph',
      },
      graphIncidents: {
        url: `${graphBaseUrl}/v1.0/security/incidents?$top=1`,
        audience: 'graph',
        apiClass: 'graph',
      },
      mdeAlerts: { url: `${apiBaseUrl}/api/alerts?$top=1`, audience: 'defender', apiClass: 'alerts' },
      xdrIncidents: { url: `${xdrBaseUrl}/api/incidents?$top=1`, audience: 'xdr', apiClass: 'incidents' },
    };
    return probes[probe];
  }

  /** Signs in for the audience and returns the app roles the token carries (for permission pre-flight). */
  async grantedRoles(audience: Audience, signal?: AbortSignal): Promise<readonly string[]> {
    return readAccessTokenClaims(await this.#tokens.getToken(audience, signal)).roles;
  }

  close(): Promise<void> {
    return this.#transport.close();
  }
}

/** Validates the configuration (throwing a DefenderError that says what to fix) and builds the client. */
export function createDefenderClient(
  config: DefenderClientConfigInput,
  options: DefenderClientOptions = {},
): DefenderClient {
  return new DefenderClient(resolveDefenderConfig(config), options);
}
