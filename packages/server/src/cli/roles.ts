/** `crm role add|remove|list`: membership of a role's `users` relation. */
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context.js';
import { withServices } from './context.js';
import { changeMembership, listRoleNames, findRole, membersOf } from './accounts.js';
import { formatTable } from './table.js';

export function registerRoleCommands(program: Command, ctx: CliContext): void {
  const role = program.command('role').description('add, remove and list role members');

  const membership =
    (op: 'AddRelation' | 'RemoveRelation', verb: string) =>
    async (roleName: string, userRef: string, _options: unknown, command: Command) => {
      const user = await withServices(command.optsWithGlobals<GlobalOptions>(), ctx.io, (services) =>
        changeMembership(services, roleName, userRef, op),
      );
      ctx.term.ok(
        `${verb} ${ctx.term.c.bold(String(user.username))} ${op === 'AddRelation' ? 'to' : 'from'} role ${ctx.term.c.bold(roleName)}`,
      );
    };

  role
    .command('add')
    .description('add a user to a role')
    .argument('<role>', 'role name')
    .argument('<user>', 'username, email or objectId')
    .action(membership('AddRelation', 'added'));

  role
    .command('remove')
    .description('remove a user from a role')
    .argument('<role>', 'role name')
    .argument('<user>', 'username, email or objectId')
    .action(membership('RemoveRelation', 'removed'));

  role
    .command('list')
    .description('list roles and their members')
    .action(async (_options: unknown, command: Command) => {
      const roles = await withServices(command.optsWithGlobals<GlobalOptions>(), ctx.io, async (services) => {
        const out: string[][] = [];
        for (const name of await listRoleNames(services)) {
          const found = await findRole(services, name);
          const members = await membersOf(services, String(found.objectId));
          out.push([name, String(members.length), members.map((m) => String(m.username)).join(', ') || '-']);
        }
        return out;
      });
      for (const line of formatTable(['ROLE', 'MEMBERS', 'USERS'], roles)) ctx.term.print(line);
    });
}
