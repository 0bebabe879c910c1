/**
 * Defender's machine `onboardingStatus`. Only an onboarded device runs Defender's sensor; the others are devices
 * Defender discovered on the network (through onboarded ones) and lists without being able to act on them.
 */

/** The values Defender documents, as Defender writes them (the docs show `onboarded` in lower case too). */
export const onboardingStatuses = ['Onboarded', 'CanBeOnboarded', 'Unsupported', 'InsufficientInfo'] as const;
export type OnboardingStatus = (typeof onboardingStatuses)[number];

/** The documented spelling of a status written in any case, or undefined when it is none of them. */
export function canonicalOnboardingStatus(value: string): OnboardingStatus | undefined {
  const folded = value.trim().toLowerCase();
  return onboardingStatuses.find((status) => status.toLowerCase() === folded);
}

/**
 * Why a response action cannot reach the device, or undefined when it can. A device Defender only discovered has
 * no sensor to isolate, scan or collect from. An unknown status (null: the record had none) is not refused here;
 * Defender answers for it.
 */
export function notOnboardedReason(onboardingStatus: string | null): string | undefined {
  if (onboardingStatus === null || onboardingStatus.trim() === '') return undefined;
  if (canonicalOnboardingStatus(onboardingStatus) === 'Onboarded') return undefined;
  return `Defender only discovered it (onboarding status ${onboardingStatus}); it runs no Defender sensor to act on`;
}
