#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import type { CliIo } from './io.js';
import { ExitCode, exitCodeFor, processIo } from './io.js';
import { registerAuditCommand } from './audit-command.js';
import { registerLedgerCommand } from './ledger-command.js';
import { registerPricesCommand } from './prices-command.js';
import { registerReportCommand } from './report-command.js';
import { registerRunCommand } from './run-command.js';

/** Builds the `wco` program; every command reports through `setExitCode`. */
export function buildProgram(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  const program = new Command('wco')
    .description('wco: switches each Amazon WorkSpace to its cheaper running mode')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(run with --help for usage)');
  registerRunCommand(program, io, setExitCode);
  registerReportCommand(program, io, setExitCode);
  registerAuditCommand(program, io, setExitCode);
  registerLedgerCommand(program, io, setExitCode);
  registerPricesCommand(program, io, setExitCode);
  return program;
}

/** Runs `wco` with `argv` (without node and script) and resolves to its exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: ExitCode = ExitCode.OK;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other parser complaint is bad input.
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    // Bad input gets its message alone: the stack would bury what to fix.
    const code = exitCodeFor(error);
    if (code === ExitCode.USAGE) io.stderr.write(`wco: ${(error as Error).message}\n`);
    else io.stderr.write(`wco: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return code;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
