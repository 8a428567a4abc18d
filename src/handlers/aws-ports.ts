import type { AwsClientOptions } from '../aws/clients.js';
import { hasCustomEndpoint } from '../aws/clients.js';
import { createAwsDependencies } from '../aws/dependencies.js';
import type { PortsFactory } from './optimize-handler.js';

/**
 * The Lambda's adapters: the fleet from the configured regions, reports in
 * `REPORT_BUCKET` and events on `EVENT_BUS_NAME`, both in the Lambda's own
 * region, for the account of the schedule event (so no STS call).
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
    return { fleet: aws.fleet, switcher: aws.switcher, store: aws.store, events: aws.events };
  };
}
