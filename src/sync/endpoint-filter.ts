import type { Machine } from '../defender/index.js';
import type { Filters } from '../domain/integration.js';
import { isMobileOrIotPlatform } from '../domain/device-platforms.js';

export const dropReasons = {
  mobileOrIot: 'mobile or IoT platform',
  noDnsName: 'no DNS name',
  noIp: 'no IP address',
  onboardingStatus: 'filtered onboarding status',
  deviceGroup: 'filtered device group',
  tag: 'filtered tag',
} as const;

/** Why a machine is not imported as an endpoint, or undefined when it is. Pure: the rules are the filters. */
export function endpointDropReason(machine: Machine, filters: Filters): string | undefined {
  if (filters.dropMobileAndIot && isMobileOrIotPlatform(machine.osPlatform)) return dropReasons.mobileOrIot;
  if (machine.computerDnsName == null || machine.computerDnsName.trim() === '') return dropReasons.noDnsName;
  if (!hasIpAddress(machine)) return dropReasons.noIp;
  if (
    filters.onboardingStatuses.length > 0 &&
    !filters.onboardingStatuses.some(
      (s) => s.toLowerCase() === (machine.onboardingStatus ?? '').toLowerCase(),
    )
  ) {
    return dropReasons.onboardingStatus;
  }
  if (filters.deviceGroups.length > 0 && !filters.deviceGroups.includes(machine.rbacGroupName ?? ''))
    return dropReasons.deviceGroup;
  if (filters.tags.length > 0 && !(machine.machineTags ?? []).some((t) => filters.tags.includes(t)))
    return dropReasons.tag;
  return undefined;
}

function hasIpAddress(machine: Machine): boolean {
  if (machine.lastIpAddress != null && machine.lastIpAddress.trim() !== '') return true;
  return (machine.ipAddresses ?? []).some((ip) => ip.ipAddress != null && ip.ipAddress.trim() !== '');
}
