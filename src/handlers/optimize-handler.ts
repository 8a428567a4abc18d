import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { Log } from '../shared/log.js';
import type { OptimizerDependencies } from '../app/run-optimizer.js';
import { runOptimizer } from '../app/run-optimizer.js';
import type { RunSummary } from '../app/run-summary.js';
import type { WriteFailure } from '../shared/write-failure.js';
import { runFailed } from '../app/run-summary.js';
import { thresholdPolicy } from '../billing/index.js';
import type { PriceCatalog } from '../ports/price-catalog.js';
import { PriceFileError } from '../pricing/price-file.js';
import type { OptimizerConfig } from '../config/env-config.js';
import { loadOptimizerConfig } from '../config/env-config.js';
import { awsPorts } from './aws-ports.js';
import { METRICS_NAMESPACE, METRICS_SERVICE, recordRunMetrics, runMetrics } from './run-metrics.js';
import { powertoolsLog } from './powertools-log.js';
import { parseScheduledEvent } from './scheduled-event.js';
import { errorDisposition, ErrorDisposition, WcoError } from '../shared/errors.js';

/** The adapters a run needs; the handler adds the logger. */
export type OptimizerPorts = Pick<OptimizerDependencies, 'fleet' | 'switcher' | 'reports' | 'events'> & {
  /**
   * The run's prices for evaluation time `asOf` (`PRICE_FILE`, `PRICE_LIST`); absent or
   * `undefined`: hour thresholds. Rejects with `PriceFileError` for a bad price file.
   */
  readonly priceCatalog?: ((asOf: Date) => Promise<PriceCatalog | undefined>) | undefined;
};

/** Builds the adapters for one account; called once per account per Lambda container. */
export type PortsFactory = (config: OptimizerConfig, account: string, log: Log) => Promise<OptimizerPorts>;

export interface OptimizeHandlerOptions {
  /** The adapters' wiring: AWS by default, in-memory or local in tests. */
  readonly createPorts?: PortsFactory;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

/** The summary as the invocation returns it: JSON-safe, `asOf` in ISO 8601. */
export type JsonRunSummary = Omit<RunSummary, 'asOf'> & { readonly asOf: string };

/** Reports or events were not written: the invocation fails so retries and alarms see it. */
export class RunFailedError extends WcoError {
  override readonly name = 'RunFailedError';
  constructor(readonly writeFailures: readonly WriteFailure[]) {
    super(
      `the run could not write everything:\n  ${writeFailures.map((f) => `${f.target}: ${f.message}`).join('\n  ')}`,
    );
  }
}

/** `PRICE_FILE` names a file that cannot be read or is not valid: the run stops before anything is written. */
export class PriceFileConfigError extends WcoError {
  override readonly name = 'PriceFileConfigError';
  override readonly disposition = ErrorDisposition.BAD_INPUT;
  constructor(cause: PriceFileError) {
    super(`PRICE_FILE: ${cause.message}`, { cause });
  }
}

/**
 * Builds the scheduled optimizer's handler. The environment is validated here,
 * at cold start, so a bad deployment fails before any invocation runs.
 * @throws ConfigError naming every bad variable.
 */
export function createOptimizeHandler(
  env: Readonly<Record<string, string | undefined>>,
  options: OptimizeHandlerOptions = {},
): (event: ScheduledEvent, context?: Context) => Promise<JsonRunSummary> {
  const config = loadOptimizerConfig(env);
  const createPorts = options.createPorts ?? awsPorts(env);
  const logger = options.logger ?? new Logger({ serviceName: METRICS_SERVICE });
  const metrics =
    options.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
  const log = powertoolsLog(logger);
  const thresholds = thresholdPolicy(config.thresholdOverrides, config.defaultThreshold);
  // SDK clients are reused across warm invocations; a failed wiring is retried next time.
  const portsByAccount = new Map<string, Promise<OptimizerPorts>>();
  const portsFor = (account: string) => {
    let ports = portsByAccount.get(account);
    if (!ports) {
      ports = createPorts(config, account, log);
      portsByAccount.set(account, ports);
      ports.catch(() => portsByAccount.delete(account));
    }
    return ports;
  };

  return async (event, context) => {
    if (context) logger.addContext(context);
    try {
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
      const { priceCatalog, ...ports } = await portsFor(account);
      const prices = await pricesFor(priceCatalog, asOf);
      const { summary } = await runOptimizer(
        { ...ports, prices, log },
        {
          asOf,
          account,
          dryRun: config.dryRun,
          forceMonthEnd: config.forceEndOfMonth,
          thresholds,
          assumedTimeoutMinutes: config.assumedTimeoutMinutes,
          regionConcurrency: config.regionConcurrency,
          modifyConcurrency: config.modifyConcurrency,
        },
      );
      recordRunMetrics(metrics, runMetrics(summary));
      const json = toJsonSummary(summary);
      if (runFailed(summary)) throw new RunFailedError(summary.writeFailures);
      logger.info('run completed', { summary: json });
      return json;
    } catch (error) {
      // Bad input (the event, a price file) will fail the same way on a retry: the log says which it was.
      logger.error('run failed', { error: error as Error, disposition: errorDisposition(error) });
      throw error;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}

// A bad price file stops the run before anything is evaluated or written, as `wco run` exits 2 for it.
async function pricesFor(
  priceCatalog: OptimizerPorts['priceCatalog'],
  asOf: Date,
): Promise<PriceCatalog | undefined> {
  try {
    return await priceCatalog?.(asOf);
  } catch (error) {
    if (error instanceof PriceFileError) throw new PriceFileConfigError(error);
    throw error;
  }
}

function toJsonSummary(summary: RunSummary): JsonRunSummary {
  return { ...summary, asOf: summary.asOf.toISOString() };
}
