/** What a sync run imports: each dataset is read, stored and scheduled on its own (findings follow machines). */
export const datasetNames = [
  'machines',
  'vulnerabilities',
  'findings',
  'alerts',
  'incidents',
  'machineActions',
  'software',
  'recommendations',
  'entraDevices',
  'cloudPosture',
] as const;
export type DatasetName = (typeof datasetNames)[number];
