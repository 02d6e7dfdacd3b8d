import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../../app/src/aws/clients.js';
import { MAX_QUERIES_PER_CALL, readRequestActivity, type RequestTarget } from '../../app/src/aws/request-metrics.js';
import { motoEndpoint, REGION, uniquePrefix } from '../support/aws-fixture.js';
import { fidelityDecorator } from '../support/fidelity/index.js';

// Prepare: metrics written as the ALB would publish them (PutMetricData into AWS/ApplicationELB;
// AWS reserves that namespace for itself, moto does not — here the test plays the ALB).
const ACCOUNT = '123456789012';
const lbArn = (name: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${name}/50dc6c495c0c9188`;
const tgArn = (name: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/73e2d6bc24d8a067`;
const MINUTE = 60_000;

describe('ALB request counts from CloudWatch (emulator)', () => {
  let cw: CloudWatchClient;
  let calls: number;
  const prefix = uniquePrefix('reqmetrics');
  const lb = lbArn(`${prefix}-alb`);
  const target = (key: string, alb = lb): RequestTarget => ({ key, targetGroupArn: tgArn(`${prefix}-${key}`), loadBalancerArn: alb });
  // Whole minutes, so the periods the window is cut into line up with the datapoints.
  const end = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
  const start = new Date(end.getTime() - 30 * MINUTE);
  const window = { start, end, periodSeconds: 60 };

  async function publish(t: RequestTarget, minutesBeforeEnd: number, count: number): Promise<void> {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/ApplicationELB',
        MetricData: [
          {
            MetricName: 'RequestCount',
            Dimensions: [
              { Name: 'TargetGroup', Value: t.targetGroupArn.split(':')[5]! },
              { Name: 'LoadBalancer', Value: t.loadBalancerArn.split(':')[5]!.replace('loadbalancer/', '') },
            ],
            Timestamp: new Date(end.getTime() - minutesBeforeEnd * MINUTE),
            Value: count,
            Unit: 'Count',
          },
        ],
      }),
    );
  }

  beforeAll(() => {
    cw = fidelityDecorator()(new CloudWatchClient({ region: REGION, endpoint: motoEndpoint(), credentials: EMULATOR_CREDENTIALS, maxAttempts: 2 }));
    cw.middlewareStack.add((next, ctx) => async (args) => {
      if (ctx.commandName === 'GetMetricDataCommand') calls++;
      return next(args);
    }, { step: 'initialize', name: 'countCalls' });
  });
  afterAll(() => cw.destroy());

  it('sums requests per environment; no datapoints means zero', async () => {
    const busy = target('busy');
    const quiet = target('quiet');
    await publish(busy, 20, 7);
    await publish(busy, 5, 3);
    const got = await readRequestActivity(cw, [busy, quiet], window);
    expect(got.get('busy')).toEqual({ key: 'busy', total: 10, lastRequestPeriod: new Date(end.getTime() - 5 * MINUTE) });
    expect(got.get('quiet')).toEqual({ key: 'quiet', total: 0 });
  });

  it('counts only the target group on our load balancer (both dimensions)', async () => {
    const ours = target('shared');
    const other = target('shared', lbArn(`${prefix}-other`));
    await publish(other, 3, 50);
    expect((await readRequestActivity(cw, [ours], window)).get('shared')?.total).toBe(0);
  });

  it(`asks for at most ${MAX_QUERIES_PER_CALL} metrics per call`, async () => {
    const many = Array.from({ length: MAX_QUERIES_PER_CALL + 20 }, (_, i) => target(`e${i}`));
    await publish(many.at(-1)!, 2, 4);
    calls = 0;
    const got = await readRequestActivity(cw, many, window);
    expect(calls).toBe(2);
    expect(got.size).toBe(many.length);
    expect(got.get(`e${many.length - 1}`)?.total).toBe(4);
    expect(got.get('e0')?.total).toBe(0);
  });

  it('refuses a window or ARN it cannot turn into a query, before calling AWS', async () => {
    await expect(readRequestActivity(cw, [target('x')], { ...window, periodSeconds: 90 })).rejects.toThrow('multiple of 60');
    await expect(readRequestActivity(cw, [{ key: 'x', targetGroupArn: 'tg', loadBalancerArn: lb }], window)).rejects.toThrow('not a target group ARN');
  });
});
