#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import type { CliIo } from './io.js';
import { ExitCode, exitCodeFor, processIo } from './io.js';
import { credentialsProblem } from '../aws/credentials.js';
import { errorMessage } from '../shared/errors.js';
import { registerAuditCommand } from './audit-command.js';
import { WCO_VERSION } from './version.js';
import { registerLedgerCommand } from './ledger-command.js';
import { registerPricesCommand } from './prices-command.js';
import { registerReplayCommand } from './replay-command.js';
import { registerReportCommand } from './report-command.js';
import { registerRunCommand } from './run-command.js';

/** Builds the `wco` program; every command reports through `setExitCode`. */
export function buildProgram(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  const program = new Command('wco')
    .description('wco: switches each Amazon WorkSpace to its cheaper running mode')
    .version(WCO_VERSION, '-V, --version', "print wco's version")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(run with --help for usage)');
  registerRunCommand(program, io, setExitCode);
  registerReportCommand(program, io, setExitCode);
  registerAuditCommand(program, io, setExitCode);
  registerLedgerCommand(program, io, setExitCode);
  registerPricesCommand(program, io, setExitCode);
  registerReplayCommand(program, io, setExitCode);
  return program;
}

/** An error AWS sent (the SDK marks those with `$metadata`): its name and message say it all, a stack would not. */
function isAwsAnswer(error: unknown): boolean {
  return error instanceof Error && '$metadata' in error;
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
    const problem = credentialsProblem(error) ?? error;
    const code = exitCodeFor(problem);
    if (code === ExitCode.USAGE) io.stderr.write(`wco: ${(problem as Error).message}\n`);
    else if (isAwsAnswer(problem)) io.stderr.write(`wco: AWS answered ${errorMessage(problem)}\n`);
    else
      io.stderr.write(
        `wco: ${problem instanceof Error ? (problem.stack ?? problem.message) : String(problem)}\n`,
      );
    return code;
  }
}

/**
 * `wco` as a process (`bin/wco.js`, `npm run wco`): `main` on the real
 * streams, plus what only a process has to care about.
 */
export async function runWcoProcess(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // wco supports Node 20.19+ (README, "Node.js"); the SDK's notice is about its releases after
  // January 2027, which package-lock.json does not take. Set before the SDK loads (it loads lazily).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  endQuietlyWhenTheReaderLeaves(process.stdout);
  endQuietlyWhenTheReaderLeaves(process.stderr);
  process.exitCode = await main(argv);
}

/**
 * `wco audit | head -1`: the reader closes the pipe and the next write fails
 * with EPIPE. Nobody is left to read the rest, so it is dropped and the
 * command ends as it would have; any other stream error still surfaces.
 */
export function endQuietlyWhenTheReaderLeaves(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runWcoProcess();
