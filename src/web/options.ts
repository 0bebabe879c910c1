import { useRequest } from './use-request.js';
import type { Page } from './api.js';
import type { Integration } from './api-types.js';

/** The integrations as filter options: id and name. */
export function useIntegrationOptions(): { value: string; label: string }[] {
  const { data } = useRequest<Page<Integration>>('/integrations?pageSize=500');
  return (data?.items ?? []).map((i) => ({ value: i.id, label: i.name }));
}
