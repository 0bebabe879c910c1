/**
 * The store's door: what the layers above may use. Issue 20 moves every reader here; until then the modules that
 * are new go through it from the start, so the list of files reaching past it only shrinks.
 */
export { countDevicesNotImported } from './vulnerabilities/finding-devices-repository.js';
export type { ActivityRepository, ActivityRow } from './activity/activity-repository.js';
export type { FindingSoftwareCves } from './vulnerabilities/software-repository.js';
export type { NewFindingDeviceRow, SyncRunRow } from './db/schema.js';
