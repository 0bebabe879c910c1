import type { Integration } from '../api-types.js';
import { Checkbox, TextAreaField } from './field.js';
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

/** The lists typed one name per line (see `lines`): two rows show that a list is asked for. */
const namesFields = [
  { name: 'deviceGroups', label: 'Device groups to import', hint: 'One per line; empty: every device group' },
  {
    name: 'tags',
    label: 'Tags to import',
    hint: 'One per line; a machine with any of them is imported; empty: every machine',
  },
] as const;

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
      <Checkbox
        checked={value.dropMobileAndIot}
        onChange={(on) => {
          onChange({ ...value, dropMobileAndIot: on });
        }}
      >
        Drop mobile and IoT devices{' '}
        <span className="hint">
          (phones and tablets: iOS, iPadOS, Android, Android Enterprise, Fire OS…; printers, cameras,
          appliances)
        </span>
      </Checkbox>
      <fieldset className="toggles">
        <legend>Onboarding statuses to import (none ticked: every status)</legend>
        {onboardingStatuses.map((status) => (
          <Checkbox
            key={status}
            checked={value.onboardingStatuses.some((s) => s.toLowerCase() === status.toLowerCase())}
            onChange={(on) => {
              toggleStatus(status, on);
            }}
          >
            {status}
          </Checkbox>
        ))}
      </fieldset>
      {namesFields.map(({ name, label, hint }) => (
        <TextAreaField
          key={name}
          label={label}
          hint={hint}
          rows={2}
          value={value[name]}
          onChange={(text) => {
            onChange({ ...value, [name]: text });
          }}
        />
      ))}
    </fieldset>
  );
}
