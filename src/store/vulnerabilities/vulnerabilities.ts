import type { PageRequest } from '../db/list-queries.js';
import type { SlaDays } from '../../domain/remediation.js';
import { VulnerabilitiesRepository } from './vulnerabilities-repository.js';
import {
  getVulnerability,
  listVulnerabilities,
  type VulnerabilityFilter,
  type VulnerabilitySort,
} from './vulnerability-queries.js';
import { listPastSla, meanTimeToRemediate, pastSlaCounts } from './remediation-queries.js';
import { listCveCloudResources } from '../cloud/cloud-cve-queries.js';

/** The CVE catalog: the sync's writes, the vulnerability list and pages, and the remediation figures over findings. */
export class Vulnerabilities extends VulnerabilitiesRepository {
  list(filter: VulnerabilityFilter, sort: VulnerabilitySort, page: PageRequest) {
    return listVulnerabilities(this.db, filter, sort, page);
  }

  get(cveId: string, integrationId?: string) {
    return getVulnerability(this.db, cveId, integrationId);
  }

  /** The Defender for Cloud resources whose findings name the CVE. */
  cloudResources(cveId: string, integrationId: string | undefined, page: PageRequest) {
    return listCveCloudResources(this.db, cveId, integrationId, page);
  }

  meanTimeToRemediate(integrationId: string | undefined) {
    return meanTimeToRemediate(this.db, this.dialect, integrationId);
  }

  pastSlaCounts(integrationId: string | undefined, slaDays: SlaDays, now: Date) {
    return pastSlaCounts(this.db, integrationId, slaDays, now);
  }

  pastSla(integrationId: string | undefined, slaDays: SlaDays, now: Date, page: PageRequest) {
    return listPastSla(this.db, integrationId, slaDays, now, page);
  }
}
