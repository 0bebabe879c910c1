import { withQuery, type Page } from './api.js';
import { useRequest, type RequestOptions } from './use-request.js';
import { pick, useUrlState } from './url-state.js';

/**
 * A list page's data: the filters named here, the sort and the page come from the URL and go to the API as
 * they are, so a deep link shows the same rows the API would answer.
 */
export function usePagedList<T, P extends Page<T> = Page<T>>(
  path: string,
  filters: readonly string[],
  defaultSort?: string,
  fixed: Readonly<Record<string, string | number>> = {},
  options: RequestOptions<P> = {},
) {
  const url = useUrlState();
  const page = Number(url.value('page', '1')) || 1;
  const sort = url.value('sort', defaultSort ?? '');
  const query = { ...pick(url.params, filters), ...(sort === '' ? {} : { sort }) };
  // A page size in the link is kept (the API checks it); the API's default otherwise.
  const pageSize = url.value('pageSize');
  const request = useRequest<P>(withQuery(path, { ...fixed, ...query, page, pageSize }), options);
  return {
    ...request,
    url,
    query,
    table: {
      rows: request.data?.items,
      total: request.data?.total,
      page,
      pageSize: request.data?.pageSize ?? 50,
      loading: request.loading,
      ...(defaultSort === undefined
        ? {}
        : {
            sort,
            onSort: (next: string) => {
              url.set({ sort: next });
            },
          }),
      onPage: (next: number) => {
        url.set({ page: next });
      },
    },
  };
}
