#!/usr/bin/env node
/** `crm`: the command-line tool (the command tree is in cli/program.ts). */
import { runCli } from './cli/program.js';

process.exitCode = await runCli(process.argv.slice(2));
