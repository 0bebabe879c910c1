/**
 * The hub's endpoint ids as a patch stores them (`patches.endpoint_ids`: a JSON array of ascending integers, as
 * either database writes it) and sets of them, so a strategy's endpoint conditions are evaluated once over the
 * endpoints and then tested against each patch's list in memory instead of joined per patch in SQL.
 */

/** Ids as a growable bitmap: a byte per id up to the highest, which for serial ids is a byte per endpoint. */
export class IdSet {
  #bits = new Uint8Array(1024);

  add(id: number): void {
    if (id >= this.#bits.length) {
      const grown = new Uint8Array(Math.max(id + 1, this.#bits.length * 2));
      grown.set(this.#bits);
      this.#bits = grown;
    }
    this.#bits[id] = 1;
  }

  has(id: number): boolean {
    return this.#bits[id] === 1;
  }
}

/**
 * Calls `visit` with each id of a JSON list of non-negative integers, in order, until it returns false. Reads
 * the text in place: a list can hold every endpoint of a tenant, and most callers stop at the first hit.
 */
export function scanIdList(text: string, visit: (id: number) => boolean): void {
  let id = -1;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit >= 0 && digit <= 9) {
      id = id === -1 ? digit : id * 10 + digit;
      continue;
    }
    if (id !== -1 && !visit(id)) return;
    id = -1;
  }
  if (id !== -1) visit(id);
}
