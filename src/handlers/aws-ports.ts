import { buildAwsPriceCatalog } from '../aws/aws-price-catalog.js';
import type { AwsClientOptions } from '../aws/clients.js';
import { hasCustomEndpoint } from '../aws/clients.js';
import { createAwsDependencies } from '../aws/dependencies.js';
import type { PortsFactory } from './optimize-handler.js';

/**
 * The Lambda's adapters: the fleet from the configured regions, reports in
 * `REPORT_BUCKET` and events on `EVENT_BUS_NAME`, both in the Lambda's own
 * region, for the account of the schedule event (so no STS call). Prices from
 * `PRICE_FILE` (read with an S3 client in the Lambda's region) and `PRICE_LIST`
 * (asked in us-east-1, cached under `pricing/cache/` in `REPORT_BUCKET`).
 */
export function awsPorts(
  env: Readonly<Record<string, string | undefined>>,
  clientOptions?: Omit<AwsClientOptions, 'customEndpoint'>,
): PortsFactory {
  const customEndpoint = hasCustomEndpoint(env);
  return async (config, account, log) => {
    const aws = await createAwsDependencies({
      regions: config.regions,
      homeRegion: config.homeRegion,
      bucket: config.reportBucket,
      eventBusName: config.eventBusName,
      account,
      customEndpoint,
      clientOptions,
      log,
    });
    const store = aws.store;
    const pricing = config.priceFile !== undefined || config.priceList;
    return {
      fleet: aws.fleet,
      switcher: aws.switcher,
      reports: aws.reports,
      ledger: aws.ledger,
      events: aws.events,
      // Built per invocation: the file is re-read each run (it may have been updated) and the
      // Price List cache month follows the event's time; the Price List answers sit in S3.
      priceCatalog: pricing
        ? (asOf: Date) =>
            buildAwsPriceCatalog({
              priceFile: config.priceFile,
              priceList: config.priceList,
              cache: store,
              asOf,
              s3Region: config.homeRegion,
              clientOptions: { ...clientOptions, customEndpoint },
              log,
            })
        : undefined,
    };
  };
}
