import { Command, Option } from 'commander';
import { InputError } from '../../errors.js';
import type { UpdateIntegrationInput } from '../../integrations/integration-schema.js';
import { onboardingStatuses } from '../../domain/onboarding.js';
import { withHub } from '../hub-session.js';
import { integrationLines } from '../integration-view.js';
import { printJson, printLines } from '../output.js';
import { inFlagTerms } from '../flag-errors.js';

interface UpdateFlags {
  mobileAndIot?: 'drop' | 'keep';
  onboardingStatus?: string[];
  anyOnboardingStatus?: true;
  deviceGroup?: string[];
  anyDeviceGroup?: true;
  tag?: string[];
  anyTag?: true;
  json?: true;
}

/** The flag behind each filter the service checks, so its messages name what to fix. */
const flagOf: Readonly<Record<string, string>> = {
  'filters.dropMobileAndIot': '--mobile-and-iot',
  'filters.onboardingStatuses': '--onboarding-status',
  'filters.deviceGroups': '--device-group',
  'filters.tags': '--tag',
};

/** A repeatable flag: every value in order. */
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--onboarding-status a --onboarding-status b,c`: statuses have no commas, so a list may be one flag. */
function collectStatuses(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim())];
}

/** The filter changes the flags ask for; a list flag replaces the whole list, its --any-… flag empties it. */
function filterChanges(flags: UpdateFlags): NonNullable<UpdateIntegrationInput['filters']> {
  const list = (values: string[] | undefined, any: true | undefined): string[] | undefined =>
    any === true ? [] : values;
  const onboarding = list(flags.onboardingStatus, flags.anyOnboardingStatus);
  const groups = list(flags.deviceGroup, flags.anyDeviceGroup);
  const tags = list(flags.tag, flags.anyTag);
  return {
    ...(flags.mobileAndIot === undefined ? {} : { dropMobileAndIot: flags.mobileAndIot === 'drop' }),
    ...(onboarding === undefined ? {} : { onboardingStatuses: onboarding }),
    ...(groups === undefined ? {} : { deviceGroups: groups }),
    ...(tags === undefined ? {} : { tags }),
  };
}

export function updateIntegrationCommand(): Command {
  return new Command('update')
    .description(
      "Change an integration's import filters: which of Defender's machines become endpoints (applied from the next machines run)",
    )
    .argument('<id|name>', 'the integration')
    .addOption(
      new Option(
        '--mobile-and-iot <choice>',
        'drop or keep phones, tablets (iOS, iPadOS, Android, Android Enterprise, Fire OS, …) and IoT devices',
      ).choices(['drop', 'keep']),
    )
    .addOption(
      new Option(
        '--onboarding-status <status>',
        `import only machines with this onboarding status (${onboardingStatuses.join(', ')}); repeat it or give a comma list`,
      ).argParser(collectStatuses),
    )
    .addOption(
      new Option('--any-onboarding-status', 'import machines of every onboarding status').conflicts(
        'onboardingStatus',
      ),
    )
    .addOption(
      new Option(
        '--device-group <name>',
        'import only machines in this device group; repeat it for more',
      ).argParser(collect),
    )
    .addOption(
      new Option('--any-device-group', 'import machines of every device group').conflicts('deviceGroup'),
    )
    .addOption(
      new Option(
        '--tag <tag>',
        'import only machines with this tag (any of those given); repeat it for more',
      ).argParser(collect),
    )
    .addOption(new Option('--any-tag', 'import machines whatever their tags').conflicts('tag'))
    .option('--json', 'print the integration as JSON')
    .action(async (idOrName: string, flags: UpdateFlags) => {
      const filters = filterChanges(flags);
      if (Object.keys(filters).length === 0)
        throw new InputError(
          'Nothing to change: give --mobile-and-iot, --onboarding-status, --device-group or --tag, or one of --any-onboarding-status, --any-device-group, --any-tag.',
        );
      const integration = await withHub(async (hub) => {
        try {
          return await hub.integrations.update(idOrName, { filters });
        } catch (error) {
          throw error instanceof InputError ? inFlagTerms(error, flagOf) : error;
        }
      });
      if (flags.json === true) printJson(integration);
      else
        printLines([
          ...integrationLines(integration, { heading: 'Updated integration' }),
          `The next machines run applies the filters; to apply them now: defender-hub sync --integration ${JSON.stringify(integration.name)}`,
        ]);
    });
}
