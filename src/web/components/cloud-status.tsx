import type { CloudAssessment } from '../api-types.js';
import { SelectFilter } from './filter-controls.js';

/** The API's statuses in words; the API's names stay in the URL (?status=notApplicable). */
export const cloudStatusLabels: Readonly<Record<CloudAssessment['status'], string>> = {
  unhealthy: 'Unhealthy',
  healthy: 'Healthy',
  notApplicable: 'Not applicable',
};

const statusOptions = Object.entries(cloudStatusLabels).map(([value, label]) => ({ value, label }));

/** Healthy, unhealthy or not applicable: assessments and their findings share Defender for Cloud's statuses. */
export function CloudStatusFilter({ url }: { url: Parameters<typeof SelectFilter>[0]['url'] }) {
  return <SelectFilter url={url} name="status" label="Status" options={statusOptions} />;
}
