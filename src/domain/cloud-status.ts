/** A Defender for Cloud assessment's or sub-assessment's state, in the hub's words (Defender's codes camelCased). */
export type CloudStatus = 'healthy' | 'unhealthy' | 'notApplicable';
