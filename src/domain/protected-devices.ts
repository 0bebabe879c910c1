import { globMatch } from './os-profile.js';

/**
 * Devices an integration protects from isolation (a domain controller, the CEO's laptop, a kiosk fleet): by tag,
 * device group or DNS-name pattern. A protected device can never be isolated through the hub, whoever asks.
 */
export interface ProtectedDevices {
  /** Machine tags, compared ignoring case. */
  readonly tags: readonly string[];
  /** Defender device groups (rbacGroupName), compared ignoring case. */
  readonly deviceGroups: readonly string[];
  /** Globs over the DNS name (`*` any run, `?` one character), ignoring case, e.g. `dc-*.contoso.com`. */
  readonly namePatterns: readonly string[];
}

export interface DeviceIdentity {
  readonly tags: readonly string[];
  readonly deviceGroup: string | null;
  readonly name: string | null;
}

export const noProtectedDevices: ProtectedDevices = { tags: [], deviceGroups: [], namePatterns: [] };

/** Why the device is protected ("tag Protected", …), or undefined when it is not. */
export function protectionReason(device: DeviceIdentity, rules: ProtectedDevices): string | undefined {
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  const tag = device.tags.find((t) => rules.tags.some((r) => same(r, t)));
  if (tag !== undefined) return `tag "${tag}"`;
  const group = device.deviceGroup;
  if (group !== null && rules.deviceGroups.some((r) => same(r, group))) return `device group "${group}"`;
  const name = device.name;
  const pattern = name === null ? undefined : rules.namePatterns.find((p) => globMatch(p, name));
  if (pattern !== undefined) return `name pattern "${pattern}"`;
  return undefined;
}
