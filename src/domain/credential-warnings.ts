export type CredentialType = 'secret' | 'certificate';

export type CredentialWarningLevel = 'info' | 'notice' | 'warning' | 'critical';

/** Something to tell about an integration's credential: its coming expiry, or why that is unknown. */
export interface CredentialWarning {
  readonly level: CredentialWarningLevel;
  /** Stable: the UI and scripts key on it. */
  readonly code: string;
  readonly message: string;
}
