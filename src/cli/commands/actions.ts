import { userInfo } from 'node:os';
import { Argument, Command, Option } from 'commander';
import type { Hub } from '../../app/hub.js';
import type { ActionOutcome, Requester } from '../../actions/action-service.js';
import type { ActionSummary } from '../../actions/action-records.js';
import type { ActionKind } from '../../actions/action-input.js';
import { withHub } from '../hub-session.js';
import { printJson, printLines, table } from '../output.js';
import { wholeNumber } from '../options.js';
import { recordId } from './strategies.js';
import { endpointNotFound } from '../../store/index.js';

interface SendFlags {
  comment: string;
  scanType?: 'Quick' | 'Full';
  isolationType?: 'Full' | 'Selective';
  dryRun?: true;
  wait?: true;
  json?: true;
}

/** Who asked, as recorded with the action: the person at this terminal. */
/** The CLI runs where the hub's database and key are: it acts as an admin, recorded by the OS user's name. */
function requester(): Requester {
  return { name: `cli:${userInfo().username}`, role: 'admin' };
}

function outcomeLine(o: ActionOutcome): string {
  if (o.error !== null) return `endpoint ${o.endpointId}: refused: ${o.error.message} [${o.error.code}]`;
  if (o.wouldRequest !== null)
    return `endpoint ${o.endpointId}: dry run: would ask Defender for ${o.wouldRequest.type}${o.wouldRequest.scope === null ? '' : ` (${o.wouldRequest.scope})`} on machine ${o.wouldRequest.machineId}`;
  const a = o.action;
  return `endpoint ${o.endpointId}: ${a?.type ?? '?'} ${a?.id ?? '?'} ${a?.status ?? '?'}${o.linked ? ' (already under way: linked)' : ''}`;
}

/** `action scan|isolate|release|collect ENDPOINT...`: one endpoint, or many with one comment. */
function sendCommand(name: string, kind: ActionKind, description: string): Command {
  const command = new Command(name)
    .description(description)
    .addArgument(new Argument('<endpoint...>', "endpoints' hub ids").argParser(collectIds))
    .requiredOption('--comment <text>', 'why: shown in the Defender portal and the action history')
    .option('--dry-run', 'say what would be asked of Defender, and ask nothing')
    .option('--wait', 'follow each action to its final state before exiting')
    .option('--json', 'print the outcomes as JSON');
  if (kind === 'scan')
    command.addOption(
      new Option('--scan-type <type>', 'Quick or Full').choices(['Quick', 'Full']).default('Quick'),
    );
  if (kind === 'isolate')
    command.addOption(
      new Option('--isolation-type <type>', 'Full, or Selective (Outlook, Teams and Skype keep working)')
        .choices(['Full', 'Selective'])
        .default('Full'),
    );
  return command.action((ids: number[], flags: SendFlags) =>
    withHub(async (hub) => {
      const request = {
        type: kind,
        comment: flags.comment,
        ...(flags.scanType === undefined ? {} : { scanType: flags.scanType }),
        ...(flags.isolationType === undefined ? {} : { isolationType: flags.isolationType }),
        dryRun: flags.dryRun === true,
      };
      const outcomes =
        ids.length === 1
          ? [await hub.actions.request(ids[0] ?? 0, request, requester())]
          : await hub.actions.requestBulk({ ...request, endpointIds: ids }, requester());
      const done = flags.wait === true ? await waitAll(hub, outcomes) : outcomes;
      if (flags.json === true) printJson(done);
      else printLines(done.map(outcomeLine));
      // Each endpoint answered, but a refusal is still a failure for a script to notice.
      if (done.some((o) => !o.ok)) process.exitCode = 1;
    }),
  );
}

function collectIds(value: string, previous: number[] | undefined): number[] {
  return [...(previous ?? []), recordId(value)];
}

async function waitAll(hub: Hub, outcomes: readonly ActionOutcome[]): Promise<ActionOutcome[]> {
  return Promise.all(
    outcomes.map(async (o) =>
      o.action === null ? o : { ...o, action: await hub.actions.waitForFinal(o.action.id) },
    ),
  );
}

function actionRows(actions: readonly ActionSummary[]): string[] {
  return table(
    ['id', 'type', 'scope', 'status', 'endpoint', 'machine', 'created', 'requested by'],
    actions.map((a) => [
      a.id,
      a.type,
      a.scope ?? '-',
      a.status,
      a.endpointId === null ? '-' : String(a.endpointId),
      a.computerDnsName ?? a.machineId,
      a.createdAt,
      a.requestedBy ?? a.requestor ?? '-',
    ]),
  );
}

interface ListFlags {
  endpoint?: number;
  integration?: string;
  type?: string;
  status?: string;
  page: number;
  pageSize: number;
  json?: true;
}

function listCommand(): Command {
  return new Command('list')
    .description("Machine actions, newest first: the hub's and those made in the Defender portal (synced)")
    .option('--endpoint <id>', "only this endpoint's", recordId)
    .option('--integration <id|name>', "only this integration's")
    .option('--type <type>', 'RunAntiVirusScan, Isolate, Unisolate, CollectInvestigationPackage, …')
    .option('--status <status>', 'Pending, InProgress, Succeeded, Failed, Cancelled or TimeOut')
    .option('--page <n>', 'page number, from 1', wholeNumber(1), 1)
    .option('--page-size <n>', 'actions per page (1–500)', wholeNumber(1, 500), 50)
    .option('--json', 'print the page as JSON: {items, total, page, pageSize}')
    .action((flags: ListFlags) =>
      withHub(async (hub) => {
        const endpoint =
          flags.endpoint === undefined
            ? undefined
            : (await hub.data.endpoints.identities([flags.endpoint])).get(flags.endpoint);
        if (flags.endpoint !== undefined && endpoint === undefined) throw endpointNotFound(flags.endpoint);
        const integrationId =
          endpoint?.integrationId ??
          (flags.integration === undefined ? undefined : (await hub.integrations.get(flags.integration)).id);
        const page = await hub.actions.list(
          { integrationId, machineId: endpoint?.machineId, type: flags.type, status: flags.status },
          { page: flags.page, pageSize: flags.pageSize },
        );
        if (flags.json === true) printJson(page);
        else printLines([`${page.total} actions`, ...actionRows(page.items)]);
      }),
    );
}

function cancelCommand(): Command {
  return new Command('cancel')
    .description('Cancel an action that is not final yet')
    .addArgument(new Argument('<action-id>', "Defender's machine action id"))
    .requiredOption('--comment <text>', 'why: shown in the Defender portal')
    .option('--json', 'print the action as JSON')
    .action((id: string, flags: { comment: string; json?: true }) =>
      withHub(async (hub) => {
        const action = await hub.actions.cancel(id, { comment: flags.comment }, requester());
        if (flags.json === true) printJson(action);
        else printLines(actionRows([action]));
      }),
    );
}

export function actionCommand(): Command {
  return new Command('action')
    .description(
      'Response actions on endpoints (scan, isolate, release, collect), the action history, and cancelling',
    )
    .addCommand(sendCommand('scan', 'scan', 'Run an antivirus scan'))
    .addCommand(sendCommand('isolate', 'isolate', 'Isolate from the network (never a protected device)'))
    .addCommand(sendCommand('release', 'release', 'Release from isolation'))
    .addCommand(sendCommand('collect', 'collectInvestigationPackage', 'Collect an investigation package'))
    .addCommand(listCommand())
    .addCommand(cancelCommand());
}
