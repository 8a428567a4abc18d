import type { Command } from 'commander';
import { Option } from 'commander';
import type { SetupConfig } from '../compose/targets.js';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import type { EvaluationFlags } from '../config/fleet-flags.js';
import { homeRegion } from '../config/home-region.js';
import type { CliIo } from './io.js';
import { stderrLog } from './stderr-log.js';

/**
 * The options `wco run` and `wco replay` share (`RawFleetFlags`): how the fleet
 * is decided, the simulated fleet's seed, the prices, the log.
 */
export function addFleetOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--threshold <TYPE=HOURS>', 'threshold override for a compute type (repeatable)')
        .argParser((value: string, previous: string[]) => [...previous, value])
        .default([]),
    )
    .option(
      '--default-threshold <hours>',
      `threshold for compute types without one (default ${CONFIG_DEFAULTS.defaultThreshold})`,
    )
    .option(
      '--assumed-timeout <minutes>',
      `idle timeout assumed for ALWAYS_ON WorkSpaces (default ${CONFIG_DEFAULTS.assumedTimeoutMinutes})`,
    )
    .option('--seed <n>', `seed of the simulated fleet (default ${CONFIG_DEFAULTS.seed})`)
    .option(
      '--prices <file>',
      'price file, CSV or JSON, a path or s3://bucket/key (docs/finance.md; the demo uses the sample prices)',
    )
    .option('--price-list', 'ask the AWS Price List API for prices the price file does not have (AWS runs)')
    .option('--verbose', 'log every conversion and problem to stderr');
}

/**
 * The options that choose the accounts (`RawFleetFlags` too). `wco replay`
 * reads its credentials' own account only: it takes them `hidden`, out of its
 * help, to refuse them by name rather than as unknown options.
 */
export function addAccountOptions(command: Command, { hidden = false } = {}): Command {
  const options = [
    new Option(
      '--accounts <list>',
      "comma-separated account ids to optimize through their member role (default: the credentials' own account)",
    ),
    new Option(
      '--organization',
      'optimize every active account of the AWS Organization (run from the management or a delegated account)',
    ),
    new Option(
      '--organization-unit <id>',
      'only the accounts directly in this OU (ou-...) or root (r-...); implies --organization',
    ),
    new Option('--exclude-accounts <list>', 'comma-separated account ids never optimized'),
    new Option(
      '--member-role <name>',
      `the role assumed in each member account (default ${CONFIG_DEFAULTS.memberRoleName})`,
    ),
    new Option(
      '--external-id <id>',
      "the member role's external id (better: EXTERNAL_ID in the environment)",
    ),
  ];
  for (const option of options) command.addOption(option.hideHelp(hidden));
  return command;
}

/** The composition settings of a command with the shared options: the environment, the log, the prices. */
export function setupConfigOf(flags: EvaluationFlags, io: CliIo): SetupConfig {
  return {
    env: io.env,
    log: flags.verbose ? stderrLog(io.stderr) : undefined,
    prices: {
      file: flags.priceFile,
      fileSetting: '--prices',
      list: flags.priceList,
      s3Region: homeRegion(io.env),
    },
  };
}
