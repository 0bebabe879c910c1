import { Argument, Command } from 'commander';
import type { ProfileRule } from '../../domain/os-profile.js';
import { profileNotFound } from '../../profiles/profile-errors.js';
import type { Profile } from '../../store/index.js';
import { withHub } from '../hub-session.js';
import { keyValues, printJson, printLines, table } from '../output.js';
import { recordId } from './strategies.js';

interface JsonFlag {
  json?: true;
}

interface AddFlags extends JsonFlag {
  name: string;
  os?: string;
  namePattern?: string;
  ipRange?: string;
  tag?: string;
  deviceGroup?: string;
}

const profilesHelp = [
  '',
  "Every endpoint with Defender OS details gets its OS and OS_VERSION profiles from Defender's report. The",
  'rule profiles added here are for the others: every criterion given must hold, and at least one is needed.',
  'Endpoint.Profile in a patch strategy matches either kind by name.',
].join('\n');

/** `os=windows, ipRange=10.0.0.0/8`: the criteria in the order the flags list them. */
function ruleText(rule: ProfileRule): string {
  const criteria = (['os', 'namePattern', 'ipRange', 'tag', 'deviceGroup'] as const).flatMap((key) =>
    rule[key] === undefined ? [] : [`${key}=${rule[key]}`],
  );
  return criteria.length === 0 ? '-' : criteria.join(', ');
}

/** Where a profile comes from: its rule, or the Defender OS report of an integration. */
function origin(profile: Profile): string {
  if (profile.rule !== null) return ruleText(profile.rule);
  return profile.integrationId === null ? '-' : `Defender OS report of integration ${profile.integrationId}`;
}

function listCommand(): Command {
  return new Command('list')
    .description(
      'List profiles (OS profiles from Defender and rule profiles) with how many endpoints carry each',
    )
    .option('--json', 'print a JSON array')
    .addHelpText('after', profilesHelp)
    .action((flags: JsonFlag) =>
      withHub(async (hub) => {
        const profiles = await hub.profiles.list();
        if (flags.json === true) printJson(profiles);
        else if (profiles.length === 0)
          printLines([
            'No profiles yet: sync an integration, or add a rule with `defender-hub profiles add`.',
          ]);
        else
          printLines(
            table(
              ['ID', 'NAME', 'KIND', 'ENDPOINTS', 'RULE'],
              profiles.map((p) => [String(p.id), p.name, p.kind, String(p.endpoints), origin(p)]),
            ),
          );
      }),
    );
}

function addCommand(): Command {
  return new Command('add')
    .description('Add a rule profile and apply it to every endpoint without Defender OS details')
    .requiredOption('--name <name>', 'a unique name: letters, digits, spaces, dots, dashes, underscores')
    .option('--os <platform>', "Defender's osPlatform, any case (e.g. Windows10, Linux)")
    .option('--name-pattern <glob>', 'glob on the DNS name: * any run, ? one character; any case')
    .option(
      '--ip-range <range>',
      'IPv4 or IPv6 CIDR (10.1.0.0/16, fd00::/64), 10.0.0.1-10.0.0.50, or one address',
    )
    .option('--tag <tag>', 'a Defender machine tag')
    .option('--device-group <group>', 'a Defender device group (RBAC group) name')
    .option('--json', 'print the profile as JSON')
    .addHelpText('after', profilesHelp)
    .action((flags: AddFlags) =>
      withHub(async (hub) => {
        const { name, json, ...rule } = flags;
        const profile = await hub.profiles.createRule({ name, rule });
        if (json === true) {
          printJson(profile);
          return;
        }
        printLines([
          `Added rule profile "${profile.name}" (${profile.id})`,
          ...keyValues([
            ['rule', origin(profile)],
            ['endpoints', String(profile.endpoints)],
          ]),
        ]);
      }),
    );
}

function removeCommand(): Command {
  return new Command('remove')
    .description(
      "Remove a rule profile; endpoints it held are re-profiled (Defender's OS profiles cannot be removed)",
    )
    .addArgument(
      new Argument('<id>', 'the rule profile id (see `defender-hub profiles list`)').argParser(recordId),
    )
    .action((id: number) =>
      withHub(async (hub) => {
        // Read first for the name to print: once removed it is gone.
        const profile = (await hub.profiles.list()).find((p) => p.id === id);
        if (profile === undefined) throw profileNotFound(id);
        await hub.profiles.removeRule(id);
        printLines([`Removed rule profile "${profile.name}" (${profile.id}).`]);
      }),
    );
}

export function profilesCommand(): Command {
  return new Command('profiles')
    .description('Endpoint profiles: list them, add and remove rule profiles')
    .addHelpText('after', profilesHelp)
    .addCommand(listCommand())
    .addCommand(addCommand())
    .addCommand(removeCommand());
}
