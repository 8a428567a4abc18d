import type { AwsClientOptions } from '../aws/clients.js';
import type { OptimizerConfig } from '../config/env-config.js';
import type { Log } from '../shared/log.js';
import { setupDependencies } from './setup-dependencies.js';
import type { Env, RunDependencies } from './targets.js';

/** The adapters a scheduled run needs; the handler adds the logger. */
export type OptimizerPorts = Pick<RunDependencies, 'fleet' | 'switcher' | 'reports' | 'ledger' | 'events'> &
  Partial<Pick<RunDependencies, 'priceCatalog' | 'accountFleets' | 'unused' | 'unusedLedger'>>;

/** Builds the adapters for one account; called once per account per Lambda container. */
export type PortsFactory<Ports = OptimizerPorts> = (
  config: OptimizerConfig,
  account: string,
  log: Log,
) => Promise<Ports>;

/** The sharded deployment's steps also keep the run's plan and shard outcomes in the report store. */
export type ShardedPorts = OptimizerPorts & Pick<RunDependencies, 'store'>;

/**
 * The Lambda's adapters: the fleet from the configured regions, reports in
 * `REPORT_BUCKET` and events on `EVENT_BUS_NAME`, both in the Lambda's own
 * region, for the account of the schedule event (so no STS call). Prices from
 * `PRICE_FILE` (read with an S3 client in the Lambda's region) and `PRICE_LIST`
 * (asked in us-east-1, cached under `pricing/cache/` in `REPORT_BUCKET`), built
 * per invocation: the file is re-read each run and the cache month follows the
 * event's time.
 */
export function awsPorts(
  env: Env,
  clientOptions?: Omit<AwsClientOptions, 'customEndpoint'>,
): PortsFactory<RunDependencies> {
  return (config, account, log) =>
    setupDependencies(
      {
        kind: 'aws',
        regions: config.regions,
        homeRegion: config.homeRegion,
        bucket: config.reportBucket,
        eventBusName: config.eventBusName,
        account,
        accounts: config.accounts,
      },
      {
        env,
        log,
        clientOptions,
        prices: {
          file: config.priceFile,
          fileSetting: 'PRICE_FILE',
          list: config.priceList,
          s3Region: config.homeRegion,
        },
      },
    );
}
