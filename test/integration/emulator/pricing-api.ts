import type { EmulatorState } from './emulator-config.js';
import { answerGetProducts, UnknownNextToken } from '../../helpers/price-list-answers.js';
import { ApiError } from './wire.js';

/**
 * `AWSPriceListService.GetProducts` (awsJson1_1) from the recordings in
 * `state.priceList` (the format `wco prices --record` writes), paging by their
 * recorded `NextToken`s. The Price List answers in us-east-1, eu-central-1 and
 * ap-south-1 only.
 */
export function getProducts(state: EmulatorState, region: string, body: Record<string, unknown>): unknown {
  if (!['us-east-1', 'eu-central-1', 'ap-south-1'].includes(region))
    throw new ApiError('UnknownEndpoint', `the Price List has no endpoint in ${region}`);
  state.priceListRequests.push(body);
  if (state.faults.priceListFails)
    throw new ApiError(state.faults.priceListFails, 'emulated Price List outage', 503);
  if (body.FormatVersion !== undefined && body.FormatVersion !== 'aws_v1')
    throw new ApiError(
      'InvalidParameterException',
      `FormatVersion ${String(body.FormatVersion)} is not supported`,
    );
  try {
    return answerGetProducts(state.priceList, body);
  } catch (error) {
    if (error instanceof UnknownNextToken) throw new ApiError('InvalidNextTokenException', error.message);
    throw error;
  }
}
