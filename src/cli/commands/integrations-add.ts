import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { HubError, InputError } from '../../errors.js';
import type { CreateIntegrationInput } from '../../integrations/integration-schema.js';
import { withHub } from '../hub-session.js';
import { integrationLines } from '../integration-view.js';
import { printJson, printLines } from '../output.js';
import { readSecret } from '../prompt.js';

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
  caFile?: string;
  disabled?: true;
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
  caPem: '--ca-file',
};

function isIssue(value: unknown): value is { path: string; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { path?: unknown }).path === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** "clientId must be a GUID." → "--client-id must be a GUID." */
function inFlagTerms(error: InputError): InputError {
  const issues = error.details?.issues;
  if (!Array.isArray(issues) || !issues.every(isIssue)) return error;
  const message = issues
    .map(({ path, message }) => {
      const flag = flagOf[path];
      if (flag === undefined) return message;
      return message.startsWith(path) ? `${flag}${message.slice(path.length)}` : `${flag}: ${message}`;
    })
    .join(' ');
  return new InputError(message, { cause: error });
}

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

export function addIntegrationCommand(): Command {
  return new Command('add')
    .description('Add a Defender integration (an Entra ID app registration in one tenant)')
    .requiredOption('--name <name>', 'a name to refer to it by')
    .addOption(
      new Option('--product <product>', 'Defender product')
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
      'Defender API host or region name (US, EU, UK, AU, GCC, "GCC High", …); default the global host',
    )
    .option('--authority-host <url>', 'Entra ID sign-in host (default per cloud)')
    .option('--graph-base-url <url>', 'Microsoft Graph host (default per cloud)')
    .option('--ca-file <file>', "an extra CA to trust (a TLS-inspecting proxy's, the simulator's), PEM")
    .option('--disabled', 'add it without syncing it yet')
    .option('--json', 'print the integration as JSON')
    .action(async (flags: AddFlags) => {
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
        ...(flags.caFile === undefined ? {} : { caPem: await readFlagFile('--ca-file', flags.caFile) }),
      };
      const integration = await withHub(async (hub) => {
        try {
          return await hub.integrations.create(input);
        } catch (error) {
          throw error instanceof InputError ? inFlagTerms(error) : error;
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
