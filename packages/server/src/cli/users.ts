/** `crm user add` and `crm user list`. */
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context.js';
import { withServices } from './context.js';
import { addUser, listUsers } from './accounts.js';
import { formatTable } from './table.js';
import { CliError } from './errors.js';

interface AddOptions {
  email: string;
  password: string;
  role?: string;
}

export function registerUserCommands(program: Command, ctx: CliContext): void {
  const user = program.command('user').description('create and list users');

  user
    .command('add')
    .description('create a user (password hashed, username and email unique) and optionally give it a role')
    .argument('<name>', 'username')
    .requiredOption('--email <email>', 'email address')
    .requiredOption('--password <password>', 'initial password')
    .option('--role <role>', 'add the user to this role (managers or admins)')
    .action(async (name: string, options: AddOptions, command: Command) => {
      if (options.role && !/^(managers|admins)$/.test(options.role)) {
        throw new CliError(`--role must be managers or admins, got "${options.role}" (use \`crm role add\` for other roles)`);
      }
      const globals = command.optsWithGlobals<GlobalOptions>();
      const created = await withServices(globals, ctx.io, (services) => addUser(services, { username: name, ...options }));
      const role = options.role ? ` in role ${ctx.term.c.bold(options.role)}` : '';
      ctx.term.ok(`created user ${ctx.term.c.bold(name)} (${created.objectId})${role}`);
    });

  user
    .command('list')
    .description('list users with their roles')
    .action(async (_options: unknown, command: Command) => {
      const users = await withServices(command.optsWithGlobals<GlobalOptions>(), ctx.io, listUsers);
      const rows = users.map((u) => [u.username, u.email, u.roles.join(',') || '-', u.objectId, u.createdAt]);
      for (const line of formatTable(['USERNAME', 'EMAIL', 'ROLES', 'OBJECTID', 'CREATED'], rows)) ctx.term.print(line);
      ctx.term.note(`${users.length} user${users.length === 1 ? '' : 's'}`);
    });
}
