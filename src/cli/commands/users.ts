import { Argument, Command, Option } from 'commander';
import type { Hub } from '../../app/hub.js';
import { roles } from '../../domain/roles.js';
import { userNotFound } from '../../auth/auth-errors.js';
import type { User } from '../../store/index.js';
import { withHub } from '../hub-session.js';
import { printJson, printLines, table } from '../output.js';
import { readSecret } from '../prompt.js';

interface PasswordFlags {
  /** Read the password from stdin (piped, or typed hidden) instead of generating one. */
  passwordStdin?: true;
}

const usernameArgument = (): Argument => new Argument('<username>', 'the user’s name (any case)');
const passwordOption = (): Option =>
  new Option(
    '--password-stdin',
    'read the password from stdin (typed hidden, or piped) instead of generating one',
  );

async function passwordOf(flags: PasswordFlags): Promise<string | undefined> {
  return flags.passwordStdin === true ? readSecret('Password') : undefined;
}

/** A generated password is printed once, on stdout, so a script can capture it; nothing else goes there. */
function showPassword(username: string, password: string | undefined): void {
  if (password === undefined) return;
  printLines([password]);
  process.stderr.write(`That is the password of "${username}", shown this once.\n`);
}

async function userNamed(hub: Hub, username: string): Promise<User> {
  const user = (await hub.auth.listUsers()).find((u) => u.username === username.toLowerCase());
  if (user === undefined) throw userNotFound(username);
  return user;
}

export function usersCommand(): Command {
  const users = new Command('users').description('Local users of the web UI and the API, with their roles');
  users
    .command('add')
    .description('Add a user; without --password-stdin a password is generated and printed once')
    .addArgument(usernameArgument())
    .addOption(new Option('--role <role>', 'what the user may do').choices(roles).makeOptionMandatory())
    .addOption(passwordOption())
    .action((username: string, flags: PasswordFlags & { role: string }) =>
      withHub(async (hub) => {
        const password = await passwordOf(flags);
        const created = await hub.auth.createUser({
          username,
          role: flags.role,
          ...(password === undefined ? {} : { password }),
        });
        process.stderr.write(
          `Added ${created.user.role} "${created.user.username}" (id ${created.user.id}).\n`,
        );
        showPassword(created.user.username, created.password);
      }),
    );
  users
    .command('list')
    .description('List the users with their roles and last sign-in')
    .option('--json', 'print a JSON array')
    .action((flags: { json?: true }) =>
      withHub(async (hub) => {
        const list = await hub.auth.listUsers();
        if (flags.json === true) printJson(list);
        else
          printLines(
            table(
              ['ID', 'USERNAME', 'ROLE', 'LAST SIGN-IN', 'LOCKED UNTIL'],
              list.map((u) => [String(u.id), u.username, u.role, u.lastLoginAt ?? '-', u.lockedUntil ?? '-']),
            ),
          );
      }),
    );
  users
    .command('reset-password')
    .description("Set a user's password (generated and printed once without --password-stdin) and unlock it")
    .addArgument(usernameArgument())
    .addOption(passwordOption())
    .action((username: string, flags: PasswordFlags) =>
      withHub(async (hub) => {
        const reset = await hub.auth.resetPassword(username, await passwordOf(flags));
        process.stderr.write(`Password of "${reset.user.username}" set; its sessions are ended.\n`);
        showPassword(reset.user.username, reset.password);
      }),
    );
  users
    .command('remove')
    .description('Remove a user with their sessions and API tokens (never the last admin)')
    .addArgument(usernameArgument())
    .action((username: string) =>
      withHub(async (hub) => {
        const user = await userNamed(hub, username);
        await hub.auth.removeUser(user.id);
        process.stderr.write(`Removed "${user.username}".\n`);
      }),
    );
  return users;
}
