import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { runOptimizer } from '../app/run-optimizer.js';
import type { JsonRunSummary } from '../app/run-summary.js';
import { toJsonSummary } from '../app/run-summary.js';
import type { OptimizerPorts } from '../compose/optimizer-ports.js';
import type { RuntimeOptions } from './optimizer-runtime.js';
import { optimizerRuntime, RunFailedError } from './optimizer-runtime.js';
import { parseScheduledEvent } from './scheduled-event.js';

export type OptimizeHandlerOptions = RuntimeOptions<OptimizerPorts>;

export { RunFailedError };

/**
 * Builds the scheduled optimizer's handler (the single-function deployment).
 * The environment is validated here, at cold start, so a bad deployment fails
 * before any invocation runs.
 * @throws ConfigError naming every bad variable.
 */
export function createOptimizeHandler(
  env: Readonly<Record<string, string | undefined>>,
  options: OptimizeHandlerOptions = {},
): (event: ScheduledEvent, context?: Context) => Promise<JsonRunSummary> {
  const { config, logger, log, portsFor, settings, invoke, finish } = optimizerRuntime(env, options);

  return (event, context) =>
    invoke(context, async () => {
      const { asOf, account } = parseScheduledEvent(event);
      logger.info('run started', {
        asOf: asOf.toISOString(),
        account,
        regions: config.regions,
        dryRun: config.dryRun,
        forceEndOfMonth: config.forceEndOfMonth,
        priceFile: config.priceFile,
        priceList: config.priceList,
      });
      const { priceCatalog, accountFleets, ...ports } = await portsFor(account);
      // A bad price file rejects here, before anything is evaluated or written, as `wco run` exits 2 for it.
      const prices = await priceCatalog?.(asOf);
      const runSettings = { runId: `lambda:${randomUUID()}`, ...settings(asOf, account, context) };
      // The member accounts (listed anew each run), their role sessions named after the run.
      const accounts = await accountFleets?.(runSettings.runId);
      const { summary } = await runOptimizer({ ...ports, prices, log, accounts }, runSettings);
      const json = toJsonSummary(summary);
      finish(summary);
      logger.info('run completed', { summary: json });
      return json;
    });
}
