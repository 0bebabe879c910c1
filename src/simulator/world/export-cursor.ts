/**
 * Paging over records that come in groups (one group per machine, or per machine and delta bucket): a cursor is
 * a group and a line within it, so a page can resume mid-machine without generating what came before.
 */
export interface Cursor {
  readonly group: number;
  readonly line: number;
}

export interface GroupSource<T> {
  readonly groupCount: number;
  items(group: number): readonly T[];
}

/** Where a page ended: `next` is set once the page generator is exhausted, `undefined` when nothing is left. */
export interface PageEnd {
  next: Cursor | undefined;
}

/**
 * Yields up to `limit` items from `start`. After the last one it looks ahead (past empty groups) so `end.next` is
 * only set when another item really exists: a full last page gets no nextLink.
 */
export function* pageFrom<T>(
  source: GroupSource<T>,
  start: Cursor,
  limit: number,
  end: PageEnd,
): Generator<T> {
  let emitted = 0;
  let line = start.line;
  for (let group = start.group; group < source.groupCount; group++, line = 0) {
    const items = source.items(group);
    for (; line < items.length; line++) {
      if (emitted === limit) {
        end.next = { group, line };
        return;
      }
      const item = items[line];
      if (item !== undefined) yield item;
      emitted++;
    }
  }
  end.next = undefined;
}
