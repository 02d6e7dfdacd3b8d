import { CloudWatchServiceException, type CloudWatchClient, type GetMetricDataInput } from '@aws-sdk/client-cloudwatch';
import type { FidelityWorld } from './world.js';

/**
 * Documented AWS behaviour moto (5.x) lacks, for CloudWatch `GetMetricData`:
 * - a call carries at most 500 `MetricDataQuery` structures (moto takes any number, so a caller
 *   that forgets to batch would pass against moto and fail in AWS);
 * - each query `Id` starts with a lowercase letter, uses only letters, digits and `_`, and is
 *   unique within the call (moto accepts any id).
 * Source: GetMetricData and MetricDataQuery in the CloudWatch API reference
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html).
 * The exact wording of AWS's message is not documented; tests assert the error name only.
 */
export const MAX_METRIC_DATA_QUERIES = 500;
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

export function installCloudWatchFidelity(client: CloudWatchClient, _world: FidelityWorld): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetMetricDataCommand') checkGetMetricData(args.input as GetMetricDataInput);
      return next(args);
    },
    { step: 'initialize', name: 'fidelityCloudWatch' },
  );
}

function checkGetMetricData(input: GetMetricDataInput): void {
  const queries = input.MetricDataQueries ?? [];
  if (queries.length > MAX_METRIC_DATA_QUERIES) {
    throw validationError(`The collection MetricDataQueries must not have a size greater than ${MAX_METRIC_DATA_QUERIES}.`);
  }
  const seen = new Set<string>();
  for (const q of queries) {
    const id = q.Id ?? '';
    if (!QUERY_ID.test(id)) throw validationError(`Invalid metric data query id ${id}: it must start with a lowercase letter.`);
    if (seen.has(id)) throw validationError(`The value ${id} for field Id must be unique across all MetricDataQueries.`);
    seen.add(id);
  }
}

function validationError(message: string): CloudWatchServiceException {
  return new CloudWatchServiceException({ name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
}
