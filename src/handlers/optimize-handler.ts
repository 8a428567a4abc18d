import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { runOptimizer } from '../app/run-optimizer.js';
import type { JsonRunSummary } from '../app/run-summary.js';
import type { WriteFailure } from '../shared/write-failure.js';
import { runFailed, toJsonSummary } from '../app/run-summary.js';
import { thresholdPolicy } from '../billing/index.js';
import { loadOptimizerConfig } from '../config/env-config.js';
import type { OptimizerPorts, PortsFactory } from '../compose/optimizer-ports.js';
import { awsPorts } from '../compose/optimizer-ports.js';
import { METRICS_NAMESPACE, METRICS_SERVICE, recordRunMetrics, runMetrics } from './run-metrics.js';
import { powertoolsLog } from './powertools-log.js';
import { parseScheduledEvent } from './scheduled-event.js';
import { errorDisposition, WcoError } from '../shared/errors.js';

export interface OptimizeHandlerOptions {
  /** The adapters' wiring: AWS by default, in-memory or local in tests. */
  readonly createPorts?: PortsFactory;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

/** Reports or events were not written: the invocation fails so retries and alarms see it. */
export class RunFailedError extends WcoError {
  override readonly name = 'RunFailedError';
  constructor(readonly writeFailures: readonly WriteFailure[]) {
    super(
      `the run could not write everything:\n  ${writeFailures.map((f) => `${f.target}: ${f.message}`).join('\n  ')}`,
    );
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
      // A bad price file rejects here, before anything is evaluated or written, as `wco run` exits 2 for it.
      const prices = await priceCatalog?.(asOf);
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
          keepResults: false,
          // The ledger's claims name the invocation, so a claim can be traced to its logs.
          ...(context?.awsRequestId ? { runId: `lambda:${context.awsRequestId}` } : {}),
        },
      );
      recordRunMetrics(metrics, runMetrics(summary));
      const json = toJsonSummary(summary);
      if (Object.keys(summary.fallbackComputeTypes).length > 0)
        logger.warn('compute types without a threshold were decided by the default', {
          fallbackComputeTypes: summary.fallbackComputeTypes,
        });
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
