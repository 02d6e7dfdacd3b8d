import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { AwsActionError, errorName } from './errors.js';

/**
 * How many requests the ALB sent to each environment's target group: the `AWS/ApplicationELB`
 * `RequestCount` metric (statistic Sum) with the `TargetGroup` + `LoadBalancer` dimensions, read
 * with `GetMetricData` in batches of at most 500 queries (AWS's per-call limit), following
 * `NextToken` when the 100,800-datapoint page fills. The ALB publishes nothing for a minute
 * without requests, so a period with no datapoint counts as zero.
 * Dimension values are the final portion of the ARNs: `targetgroup/<name>/<id>` and
 * `app/<name>/<id>` (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
 */

/** One environment's target group behind the shared load balancer; `key` is what results are keyed by (the env name). */
export interface RequestTarget {
  key: string;
  targetGroupArn: string;
  loadBalancerArn: string;
}

export interface RequestWindow {
  start: Date;
  end: Date;
  /** Seconds per datapoint; a multiple of 60 (ALB metrics are published per minute). */
  periodSeconds: number;
}

export interface RequestActivity {
  key: string;
  /** Requests in the whole window (missing datapoints count as zero). */
  total: number;
  /** Start of the latest period that had a request, if any. */
  lastRequestPeriod?: Date;
}

export const MAX_QUERIES_PER_CALL = 500;
const NAMESPACE = 'AWS/ApplicationELB';

export class RequestMetricsError extends AwsActionError {}

/** The port idle sleep reads request counts through; the composition root binds it to the CloudWatch client. */
export type RequestActivityReader = (targets: readonly RequestTarget[], window: RequestWindow) => Promise<Map<string, RequestActivity>>;

export function requestActivityReader(cw: CloudWatchClient): RequestActivityReader {
  return (targets, window) => readRequestActivity(cw, targets, window);
}

export async function readRequestActivity(
  cw: CloudWatchClient,
  targets: readonly RequestTarget[],
  window: RequestWindow,
): Promise<Map<string, RequestActivity>> {
  checkWindow(window);
  const out = new Map<string, RequestActivity>(targets.map((t) => [t.key, { key: t.key, total: 0 }]));
  for (let i = 0; i < targets.length; i += MAX_QUERIES_PER_CALL) {
    const batch = targets.slice(i, i + MAX_QUERIES_PER_CALL);
    for (const result of await fetchBatch(cw, batch, window)) {
      const target = batch[Number(result.Id?.slice(1))];
      if (target) addResult(out.get(target.key)!, result);
    }
  }
  return out;
}

async function fetchBatch(cw: CloudWatchClient, batch: readonly RequestTarget[], window: RequestWindow): Promise<MetricDataResult[]> {
  const queries = batch.map((t, i) => requestCountQuery(`q${i}`, t, window.periodSeconds));
  const results: MetricDataResult[] = [];
  let nextToken: string | undefined;
  do {
    try {
      const page = await cw.send(
        new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: window.start, EndTime: window.end, ScanBy: 'TimestampDescending', NextToken: nextToken }),
      );
      results.push(...(page.MetricDataResults ?? []));
      nextToken = page.NextToken;
    } catch (err) {
      const hint = /AccessDenied/.test(errorName(err)) ? 'grant the bot role cloudwatch:GetMetricData' : undefined;
      throw new RequestMetricsError('reading request counts from CloudWatch', err, hint);
    }
  } while (nextToken);
  return results;
}

/** Query ids must start with a lowercase letter and be unique per call: `q<index in batch>`. */
export function requestCountQuery(id: string, t: RequestTarget, periodSeconds: number): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: NAMESPACE,
        MetricName: 'RequestCount',
        Dimensions: [
          { Name: 'TargetGroup', Value: targetGroupDimension(t.targetGroupArn) },
          { Name: 'LoadBalancer', Value: loadBalancerDimension(t.loadBalancerArn) },
        ],
      },
      Period: periodSeconds,
      Stat: 'Sum',
    },
    ReturnData: true,
  };
}

/** `arn:aws:elasticloadbalancing:<region>:<acct>:targetgroup/<name>/<id>` → `targetgroup/<name>/<id>`. */
export function targetGroupDimension(arn: string): string {
  const resource = arnResource(arn);
  if (!/^targetgroup\/[^/]+\/[^/]+$/.test(resource)) throw new Error(`not a target group ARN: ${arn}`);
  return resource;
}

/** `arn:aws:elasticloadbalancing:<region>:<acct>:loadbalancer/app/<name>/<id>` → `app/<name>/<id>`. */
export function loadBalancerDimension(arn: string): string {
  const resource = arnResource(arn);
  if (!/^loadbalancer\/app\/[^/]+\/[^/]+$/.test(resource)) throw new Error(`not an application load balancer ARN: ${arn}`);
  return resource.slice('loadbalancer/'.length);
}

function arnResource(arn: string): string {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'elasticloadbalancing') return '';
  return parts.slice(5).join(':');
}

function addResult(activity: RequestActivity, result: MetricDataResult): void {
  const values = result.Values ?? [];
  const stamps = result.Timestamps ?? [];
  values.forEach((value, i) => {
    activity.total += value;
    const at = stamps[i];
    if (value > 0 && at && (!activity.lastRequestPeriod || at > activity.lastRequestPeriod)) activity.lastRequestPeriod = at;
  });
}

function checkWindow(w: RequestWindow): void {
  if (!(w.end > w.start)) throw new Error('the metrics window must end after it starts');
  if (!Number.isInteger(w.periodSeconds) || w.periodSeconds < 60 || w.periodSeconds % 60 !== 0) {
    throw new Error(`the metrics period must be a multiple of 60 seconds, got ${w.periodSeconds}`);
  }
}
