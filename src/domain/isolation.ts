/**
 * An endpoint's isolation state. Defender's machine record has no isolation flag, so the state is read from the
 * machine's isolate and release (Unisolate) actions: the latest one that did not fail decides.
 */

export const isolationStateNames = ['isolated', 'notIsolated', 'pending'] as const;
export type IsolationStateName = (typeof isolationStateNames)[number];

export interface IsolationState {
  readonly state: IsolationStateName;
  /** When the deciding action was requested (pending) or last updated (done); null with no such action. */
  readonly since: string | null;
  readonly actionId: string | null;
}

/** What the rule needs of a machine action; timestamps as ISO 8601 strings, which order as text. */
export interface IsolationAction {
  readonly id: string;
  readonly type: string;
  readonly status: string;
  readonly createdAt: string;
  readonly lastUpdateAt: string | null;
}

/** The statuses of an action still under way: it makes the state pending. */
export const pendingIsolationStatuses: readonly string[] = ['Pending', 'InProgress'];
/** The statuses of an action that decides the state; any other (failed, cancelled, timed out) changed nothing. */
export const decidingIsolationStatuses: readonly string[] = [...pendingIsolationStatuses, 'Succeeded'];
const pendingStatuses = new Set(pendingIsolationStatuses);

/** Isolate or release: the only action types that change isolation. */
export const isolationTypes: readonly string[] = ['Isolate', 'Unisolate'];

export function changesIsolation(type: string): boolean {
  return isolationTypes.includes(type);
}

/**
 * The latest isolate or release that is pending or succeeded decides (latest by creation time, ties by action
 * id, both compared as text): pending while it runs, else isolated after an isolate and not isolated after a
 * release. A failed, cancelled or timed-out action changed nothing, so the one before it still holds. With
 * none, the endpoint was never isolated. store/isolation-sql.ts states the same rule in SQL, to filter lists.
 */
export function isolationState(actions: readonly IsolationAction[]): IsolationState {
  const deciding = actions
    .filter((a) => changesIsolation(a.type) && decidingIsolationStatuses.includes(a.status))
    .reduce<IsolationAction | undefined>(
      (latest, a) =>
        latest === undefined ||
        a.createdAt > latest.createdAt ||
        (a.createdAt === latest.createdAt && a.id > latest.id)
          ? a
          : latest,
      undefined,
    );
  if (deciding === undefined) return { state: 'notIsolated', since: null, actionId: null };
  if (pendingStatuses.has(deciding.status))
    return { state: 'pending', since: deciding.createdAt, actionId: deciding.id };
  return {
    state: deciding.type === 'Isolate' ? 'isolated' : 'notIsolated',
    since: deciding.lastUpdateAt ?? deciding.createdAt,
    actionId: deciding.id,
  };
}
