/** A read of the records last updated between two raw timestamps, both inclusive; either end may be open. */
export interface UpdateWindow {
  readonly since?: string | undefined;
  readonly until?: string | undefined;
}

/**
 * The window as an OData `$filter` on `field` (`lastUpdateTime ge … and lastUpdateTime le …`), joined with any
 * other condition; undefined when nothing is filtered. Timestamps go unquoted, as Microsoft's samples write them,
 * and raw, so seven fractional digits keep the bound exact.
 */
export function updateWindowFilter(field: string, window: UpdateWindow, other?: string): string | undefined {
  const parts = [
    ...(other === undefined ? [] : [other]),
    ...(window.since === undefined ? [] : [`${field} ge ${window.since}`]),
    ...(window.until === undefined ? [] : [`${field} le ${window.until}`]),
  ];
  return parts.length === 0 ? undefined : parts.join(' and ');
}
