import type { ApiHttp } from '../api-http.js';
import { validateVulnerability, type Vulnerability } from '../schemas/vulnerability.js';
import { ODataCollection } from './odata-collection.js';

/** The CVE catalog allows fewer per page than the other lists. */
export const vulnerabilitiesPageCap = 8000;

/** The tenant's CVE catalog (filter e.g. `updatedOn gt 2026-11-01Z`). */
export class VulnerabilitiesResource extends ODataCollection<Vulnerability> {
  constructor(http: ApiHttp, apiBaseUrl: string) {
    super(http, `${apiBaseUrl}/api/vulnerabilities`, {
      pageCap: vulnerabilitiesPageCap,
      validate: validateVulnerability,
    });
  }
}
