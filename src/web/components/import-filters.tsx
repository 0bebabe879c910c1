import type { Integration } from '../api-types.js';
import { Field } from './field.js';
import { onboardingStatuses } from '../../domain/onboarding.js';

/** The import filters as the form edits them: device groups and tags as typed, one per line. */
export interface FiltersDraft {
  readonly dropMobileAndIot: boolean;
  readonly onboardingStatuses: readonly string[];
  readonly deviceGroups: string;
  readonly tags: string;
}

export const defaultFiltersDraft: FiltersDraft = {
  dropMobileAndIot: true,
  onboardingStatuses: [],
  deviceGroups: '',
  tags: '',
};

export function filtersDraftOf(filters: Integration['filters']): FiltersDraft {
  return {
    dropMobileAndIot: filters.dropMobileAndIot,
    onboardingStatuses: filters.onboardingStatuses,
    deviceGroups: filters.deviceGroups.join('\n'),
    tags: filters.tags.join('\n'),
  };
}

/** One name per line: Defender's group names and tags may hold commas. Blank lines are left out. */
function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The API's `filters`: every one of them, so what the form shows is what is saved. */
export function filtersBody(draft: FiltersDraft): Integration['filters'] {
  return {
    dropMobileAndIot: draft.dropMobileAndIot,
    onboardingStatuses: [...draft.onboardingStatuses],
    deviceGroups: lines(draft.deviceGroups),
    tags: lines(draft.tags),
  };
}

/**
 * Which of Defender's machines become endpoints: phones, tablets and IoT devices dropped or kept, and the
 * onboarding statuses, device groups and tags to keep (none: all). The hub checks them on save and names a
 * wrong one.
 */
export function ImportFilters({
  value,
  onChange,
}: {
  value: FiltersDraft;
  onChange: (value: FiltersDraft) => void;
}) {
  const toggleStatus = (status: string, on: boolean): void => {
    const rest = value.onboardingStatuses.filter((s) => s.toLowerCase() !== status.toLowerCase());
    onChange({ ...value, onboardingStatuses: on ? [...rest, status] : rest });
  };
  return (
    <fieldset className="toggles">
      <legend>Import filters</legend>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value.dropMobileAndIot}
          onChange={(e) => {
            onChange({ ...value, dropMobileAndIot: e.target.checked });
          }}
        />
        Drop mobile and IoT devices{' '}
        <span className="hint">
          (phones and tablets: iOS, iPadOS, Android, Android Enterprise, Fire OS…; printers, cameras,
          appliances)
        </span>
      </label>
      <fieldset className="toggles">
        <legend>Onboarding statuses to import (none ticked: every status)</legend>
        {onboardingStatuses.map((status) => (
          <label key={status} className="checkbox">
            <input
              type="checkbox"
              checked={value.onboardingStatuses.some((s) => s.toLowerCase() === status.toLowerCase())}
              onChange={(e) => {
                toggleStatus(status, e.target.checked);
              }}
            />
            {status}
          </label>
        ))}
      </fieldset>
      <Field label="Device groups to import" hint="One per line; empty: every device group">
        {(p) => (
          <textarea
            {...p}
            rows={2}
            value={value.deviceGroups}
            onChange={(e) => {
              onChange({ ...value, deviceGroups: e.target.value });
            }}
          />
        )}
      </Field>
      <Field
        label="Tags to import"
        hint="One per line; a machine with any of them is imported; empty: every machine"
      >
        {(p) => (
          <textarea
            {...p}
            rows={2}
            value={value.tags}
            onChange={(e) => {
              onChange({ ...value, tags: e.target.value });
            }}
          />
        )}
      </Field>
    </fieldset>
  );
}
