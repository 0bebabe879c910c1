import type { Machine } from '../defender/index.js';
import type { Filters } from '../integrations/integration-schema.js';

const mobilePlatforms = /^(ios|ipados|android)$/i;
/** Platforms Defender reports for discovered, non-computer devices (cameras, printers, appliances). */
const iotPlatforms = /^(other|unknown|iot|linuxiot|.*camera.*|.*printer.*)$/i;

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
  const platform = machine.osPlatform ?? '';
  if (filters.dropMobileAndIot && (mobilePlatforms.test(platform) || iotPlatforms.test(platform)))
    return dropReasons.mobileOrIot;
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
