import { describe, expect, it } from 'vitest';
import { canonicalOnboardingStatus, notOnboardedReason } from '../../src/domain/onboarding.js';

describe('onboarding status', () => {
  it('should allow actions on an onboarded device, in either of the cases Defender writes', () => {
    expect(notOnboardedReason('Onboarded')).toBe(undefined);
    expect(notOnboardedReason('onboarded')).toBe(undefined);
  });

  it.each(['CanBeOnboarded', 'Unsupported', 'InsufficientInfo', 'SomethingNew'])(
    'should say why a device with status %s gets no action',
    (status) => {
      expect(notOnboardedReason(status)).toBe(
        `Defender only discovered it (onboarding status ${status}); it runs no Defender sensor to act on`,
      );
    },
  );

  it('should leave an unknown status to Defender', () => {
    expect(notOnboardedReason(null)).toBe(undefined);
    expect(notOnboardedReason('')).toBe(undefined);
  });

  it('should spell a status as Defender documents it', () => {
    expect(canonicalOnboardingStatus(' canbeonboarded ')).toBe('CanBeOnboarded');
    expect(canonicalOnboardingStatus('Onbaorded')).toBe(undefined);
  });
});
