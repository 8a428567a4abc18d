import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { OptimizerSettings } from '../app/run-optimizer.js';
import type { RunSummary } from '../app/run-summary.js';
import { runFailed } from '../app/run-summary.js';
import { thresholdPolicy } from '../billing/index.js';
import type { OptimizerPorts, PortsFactory } from '../compose/optimizer-ports.js';
import { awsPorts } from '../compose/optimizer-ports.js';
import type { OptimizerConfig } from '../config/env-config.js';
import { loadOptimizerConfig } from '../config/env-config.js';
import { errorDisposition, WcoError } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import type { WriteFailure } from '../shared/write-failure.js';
import { powertoolsLog } from './powertools-log.js';
import { METRICS_NAMESPACE, METRICS_SERVICE, recordRunMetrics, runMetrics } from './run-metrics.js';

export interface RuntimeOptions<Ports extends OptimizerPorts> {
  /** The adapters' wiring: AWS by default, in-memory or local in tests. */
  readonly createPorts?: PortsFactory<Ports>;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

/** Reports, ledger entries or events were not written: the invocation fails so retries and alarms see it. */
export class RunFailedError extends WcoError {
  override readonly name = 'RunFailedError';
  constructor(readonly writeFailures: readonly WriteFailure[]) {
    super(
      `the run could not write everything:\n  ${writeFailures.map((f) => `${f.target}: ${f.message}`).join('\n  ')}`,
    );
  }
}

/**
 * What every optimizer Lambda shares (the single function and the sharded
 * deployment's steps): the environment validated at cold start, the logger and
 * metrics, the adapters built once per account and reused while warm, and the
 * run settings of an invocation.
 * @throws ConfigError naming every bad variable.
 */
export function optimizerRuntime<Ports extends OptimizerPorts>(
  env: Readonly<Record<string, string | undefined>>,
  options: RuntimeOptions<Ports>,
) {
  const config: OptimizerConfig = loadOptimizerConfig(env);
  const createPorts = options.createPorts ?? (awsPorts(env) as unknown as PortsFactory<Ports>);
  const logger = options.logger ?? new Logger({ serviceName: METRICS_SERVICE });
  const metrics =
    options.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
  const log: Log = powertoolsLog(logger);
  const thresholds = thresholdPolicy(config.thresholdOverrides, config.defaultThreshold);
  // SDK clients are reused across warm invocations; a failed wiring is retried next time.
  const portsByAccount = new Map<string, Promise<Ports>>();
  const portsFor = (account: string): Promise<Ports> => {
    let ports = portsByAccount.get(account);
    if (!ports) {
      ports = createPorts(config, account, log);
      portsByAccount.set(account, ports);
      ports.catch(() => portsByAccount.delete(account));
    }
    return ports;
  };

  /** The run's settings from the configuration, for `T` and the account of an invocation. */
  const settings = (asOf: Date, account: string, context: Context | undefined): OptimizerSettings => ({
    asOf,
    account,
    dryRun: config.dryRun,
    forceMonthEnd: config.forceEndOfMonth,
    thresholds,
    assumedTimeoutMinutes: config.assumedTimeoutMinutes,
    regionConcurrency: config.regionConcurrency,
    modifyConcurrency: config.modifyConcurrency,
    tagColumns: config.tagColumns,
    unused: config.unused,
    // A Lambda needs the summary only: memory must not grow with the fleet.
    keepResults: false,
    // The ledger's claims name the invocation, so a claim can be traced to its logs.
    ...(context?.awsRequestId ? { runId: `lambda:${context.awsRequestId}` } : {}),
  });

  /**
   * Runs one invocation: logs its failure with its disposition (bad input fails
   * the same way on a retry) and publishes the metrics it recorded.
   */
  const invoke = async <T>(context: Context | undefined, work: () => Promise<T>): Promise<T> => {
    if (context) logger.addContext(context);
    try {
      return await work();
    } catch (error) {
      logger.error('run failed', { error: error as Error, disposition: errorDisposition(error) });
      throw error;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };

  /** A finished run's metrics; a run that could not write everything fails its invocation. */
  const finish = (summary: RunSummary): void => {
    recordRunMetrics(metrics, runMetrics(summary));
    if (Object.keys(summary.fallbackComputeTypes).length > 0)
      logger.warn('compute types without a threshold were decided by the default', {
        fallbackComputeTypes: summary.fallbackComputeTypes,
      });
    if (runFailed(summary)) throw new RunFailedError(summary.writeFailures);
  };

  return { config, logger, log, portsFor, settings, invoke, finish };
}
