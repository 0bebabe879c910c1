import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { HubError, InputError } from '../../errors.js';
import {
  createIntegrationSchema,
  type CreateIntegrationInput,
} from '../../integrations/integration-schema.js';
import { testIntegrationSettings, type IntegrationSettings } from '../../integrations/connection-test.js';
import { parseInput } from '../../parse-input.js';
import { defenderRegions } from '../../domain/clouds.js';
import { withHub } from '../hub-session.js';
import { integrationLines } from '../integration-view.js';
import { printJson, printLines } from '../output.js';
import { connectionTestLines } from '../connection-test-view.js';
import { connectionTestFailure } from './integrations-test.js';
import { readSecret } from '../prompt.js';
import { inFlagTerms } from '../flag-errors.js';

interface AddFlags {
  name: string;
  product: 'endpoint' | 'cloud';
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  clientSecretStdin?: true;
  certificate?: string;
  apiBaseUrl?: string;
  authorityHost?: string;
  graphBaseUrl?: string;
  armBaseUrl?: string;
  subscription?: string[];
  caFile?: string;
  disabled?: true;
  test?: true;
  json?: true;
}

/** The flag a person typed for each field the service validates, so its messages name what to fix. */
const flagOf: Readonly<Record<string, string>> = {
  name: '--name',
  product: '--product',
  tenantId: '--tenant-id',
  clientId: '--client-id',
  clientSecret: '--client-secret',
  certificate: '--certificate',
  apiBaseUrl: '--api-base-url',
  authorityHost: '--authority-host',
  graphBaseUrl: '--graph-base-url',
  armBaseUrl: '--arm-base-url',
  subscriptions: '--subscription',
  caPem: '--ca-file',
};

async function readFlagFile(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new HubError('FILE_UNREADABLE', `Cannot read ${flag} ${path} (${code}).`, { cause: error });
  }
}

async function credential(flags: AddFlags): Promise<{ clientSecret: string } | { certificate: string }> {
  if (flags.clientSecret !== undefined) return { clientSecret: flags.clientSecret };
  if (flags.clientSecretStdin === true) return { clientSecret: await readSecret('Client secret') };
  if (flags.certificate !== undefined)
    return { certificate: await readFlagFile('--certificate', flags.certificate) };
  throw new InputError(
    'Give one credential: --client-secret-stdin (keeps it out of the shell history), --client-secret VALUE or --certificate FILE.',
  );
}

/** `--subscription a --subscription b,c`: every id, in order; the schema says which ones are not GUIDs. */
function collectSubscriptions(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
  ];
}

/** Settings only a Defender for Cloud integration reads; refused on an Endpoint one rather than kept unused. */
function cloudSettings(flags: AddFlags): Pick<CreateIntegrationInput, 'armBaseUrl' | 'subscriptions'> {
  const given = flags.armBaseUrl !== undefined || flags.subscription !== undefined;
  if (given && flags.product !== 'cloud')
    throw new InputError(
      '--arm-base-url and --subscription are for Defender for Cloud: add --product cloud.',
    );
  return {
    ...(flags.armBaseUrl === undefined ? {} : { armBaseUrl: flags.armBaseUrl }),
    ...(flags.subscription === undefined ? {} : { subscriptions: flags.subscription }),
  };
}

/**
 * Tests the settings before anything is stored; a failed test stops the add. What passes gives the import
 * toggles the app's permissions allow (an Endpoint integration), so no import starts out not permitted.
 */
async function testedImports(
  input: CreateIntegrationInput,
  json: boolean,
  inFlags: (error: unknown) => unknown,
): Promise<Pick<CreateIntegrationInput, 'imports'>> {
  const settings = ((): IntegrationSettings => {
    try {
      return parseInput(createIntegrationSchema, input);
    } catch (error) {
      throw inFlags(error);
    }
  })();
  const result = await testIntegrationSettings(settings);
  // The JSON line is the integration's; the test is shown to a person only.
  if (!json) printLines([...connectionTestLines(settings.name, result), '']);
  if (!result.ok) throw connectionTestFailure(settings.name, result);
  return result.importsAllowed === null ? {} : { imports: result.importsAllowed };
}

export function addIntegrationCommand(): Command {
  return new Command('add')
    .description('Add a Defender integration (an Entra ID app registration in one tenant)')
    .requiredOption('--name <name>', 'a name to refer to it by')
    .addOption(
      new Option(
        '--product <product>',
        'Defender product: endpoint (Defender for Endpoint API and Graph) or cloud (Defender for Cloud through Azure Resource Manager)',
      )
        .choices(['endpoint', 'cloud'])
        .default('endpoint'),
    )
    .requiredOption('--tenant-id <id>', 'Directory (tenant) ID, or a domain such as contoso.onmicrosoft.com')
    .requiredOption('--client-id <id>', "the app registration's Application (client) ID")
    .addOption(
      new Option(
        '--client-secret <secret>',
        "the client secret's Value (visible to other local users and kept in shell history: prefer --client-secret-stdin)",
      ).conflicts(['clientSecretStdin', 'certificate']),
    )
    .addOption(
      new Option(
        '--client-secret-stdin',
        'read the client secret from stdin (piped, or typed with echo off)',
      ).conflicts('certificate'),
    )
    .option('--certificate <file>', 'PEM file with the private key and the certificate')
    .option(
      '--api-base-url <url|region>',
      `Defender API host or region name (${Object.keys(defenderRegions)
        .map((name) => (name.includes(' ') ? JSON.stringify(name) : name))
        .join(', ')}); default the global host`,
    )
    .option('--authority-host <url>', 'Entra ID sign-in host (default per cloud)')
    .option('--graph-base-url <url>', 'Microsoft Graph host (default per cloud)')
    .option(
      '--arm-base-url <url>',
      'cloud: Azure Resource Manager host, https (default per cloud: https://management.azure.com, Azure Government https://management.usgovcloudapi.net)',
    )
    .option(
      '--subscription <id>',
      'cloud: a subscription ID (GUID) to read; repeat it or give a comma list (default: every subscription the app can read)',
      collectSubscriptions,
    )
    .option('--ca-file <file>', "an extra CA to trust (a TLS-inspecting proxy's, the simulator's), PEM")
    .option('--disabled', 'add it without syncing it yet')
    .option(
      '--test',
      "test the connection first: nothing is added if it fails, and the import toggles are set to what the app's permissions allow",
    )
    .option('--json', 'print the integration as JSON')
    .action(async (flags: AddFlags) => {
      const cloud = cloudSettings(flags);
      const input: CreateIntegrationInput = {
        name: flags.name,
        product: flags.product,
        tenantId: flags.tenantId,
        clientId: flags.clientId,
        enabled: flags.disabled !== true,
        ...(await credential(flags)),
        ...(flags.apiBaseUrl === undefined ? {} : { apiBaseUrl: flags.apiBaseUrl }),
        ...(flags.authorityHost === undefined ? {} : { authorityHost: flags.authorityHost }),
        ...(flags.graphBaseUrl === undefined ? {} : { graphBaseUrl: flags.graphBaseUrl }),
        ...cloud,
        ...(flags.caFile === undefined ? {} : { caPem: await readFlagFile('--ca-file', flags.caFile) }),
      };
      const inFlags = (error: unknown): unknown =>
        error instanceof InputError ? inFlagTerms(error, flagOf) : error;
      const imports = flags.test === true ? await testedImports(input, flags.json === true, inFlags) : {};
      const integration = await withHub(async (hub) => {
        try {
          return await hub.integrations.create({ ...input, ...imports });
        } catch (error) {
          throw inFlags(error);
        }
      });
      if (flags.json === true) printJson(integration);
      else
        printLines([
          ...integrationLines(integration, { heading: 'Added integration' }),
          `Check it with: defender-hub integrations test ${JSON.stringify(integration.name)}`,
        ]);
    });
}
