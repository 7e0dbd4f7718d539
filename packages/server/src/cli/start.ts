/** `crm start`: the server, exactly as `npm start` runs it, with the CLI's storage flags applied. */
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context.js';
import { startServer } from '../server.js';

export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('start the server (same as npm start)')
    .option('--port <port>', 'HTTP port (default: PORT or 1337)', (v) => Number.parseInt(v, 10))
    .action(async (options: { port?: number }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const server = await startServer({
        dataDir: globals.dataDir,
        databaseUrl: globals.databaseUrl,
        databaseSchema: globals.databaseSchema,
        port: options.port,
      });
      ctx.term.ok(
        `CRM server ready: ${ctx.term.c.bold(server.serverURL)} (app id "${server.config.appId}", data in ${server.config.dataDir})`,
      );
      // The command lasts as long as the server: a signal closes it cleanly, then the command returns.
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          ctx.term.note(`${signal}: shutting down`);
          void server.close().then(resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
