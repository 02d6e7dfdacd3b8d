import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../../app/src/aws/clients.js';
import { requestActivityReader } from '../../app/src/aws/request-metrics.js';
import type { EnvironmentRecord } from '../../app/src/environments/record.js';
import { loadBalancerArnOfListener, runIdleSleepPass, type IdleSleeperDeps } from '../../app/src/schedules/idle-sleeper.js';
import { motoEndpoint, REGION, uniquePrefix } from '../support/aws-fixture.js';
import { fidelityDecorator } from '../support/fidelity/index.js';
import { sampleRecord } from '../support/sample-record.js';

// The test plays the ALB: it writes RequestCount with PutMetricData (AWS reserves the namespace,
// moto does not) and the job reads it back with GetMetricData like in AWS.
const ACCOUNT = '123456789012';
const MINUTE = 60_000;

describe('idle-sleep job (emulator metrics)', () => {
  const prefix = uniquePrefix('idle');
  const listenerArn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/${prefix}-alb/50dc6c495c0c9188/f2f7dc8efc522ab2`;
  const lbArn = loadBalancerArnOfListener(listenerArn);
  const tgArn = (name: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${prefix}-${name}/73e2d6bc24d8a067`;
  const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
  const longAgo = new Date(now.getTime() - 3 * 3600_000).toISOString();
  let cw: CloudWatchClient;

  const env = (name: string, over: Partial<EnvironmentRecord> = {}) => sampleRecord(name, { targetGroupArn: tgArn(name), startedAt: longAgo, ...over });

  async function publish(name: string, minutesAgo: number, count: number): Promise<void> {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/ApplicationELB',
        MetricData: [
          {
            MetricName: 'RequestCount',
            Dimensions: [
              { Name: 'TargetGroup', Value: tgArn(name).split(':')[5]! },
              { Name: 'LoadBalancer', Value: lbArn.split(':')[5]!.replace('loadbalancer/', '') },
            ],
            Timestamp: new Date(now.getTime() - minutesAgo * MINUTE),
            Value: count,
            Unit: 'Count',
          },
        ],
      }),
    );
  }

  function deps(records: EnvironmentRecord[], client = cw) {
    const slept: string[] = [];
    const warnings: string[] = [];
    const d: IdleSleeperDeps = {
      readRequests: requestActivityReader(client),
      store: { list: async () => records },
      loadBalancerArn: lbArn,
      profileOf: () => ({ sleepAfterIdleMinutes: 30, idleGraceMinutes: 15 }),
      sleep: async (name, reason) => void slept.push(`${name}:${reason}`),
      warn: (message) => void warnings.push(message),
    };
    return { d, slept, warnings };
  }

  beforeAll(() => {
    cw = fidelityDecorator()(new CloudWatchClient({ region: REGION, endpoint: motoEndpoint(), credentials: EMULATOR_CREDENTIALS, maxAttempts: 2 }));
  });
  afterAll(() => cw.destroy());

  it('puts an idle environment to sleep once, with reason idle', async () => {
    await publish('idle', 45, 12); // before its 30-minute window
    const { d, slept, warnings } = deps([env('idle')]);
    const pass = await runIdleSleepPass(d, now);
    expect(slept).toEqual(['idle:idle']);
    expect(pass.decisions.get('idle')).toEqual({ sleep: true, idleMinutes: 30 });
    expect(warnings).toEqual([]);
  });

  it('leaves a busy environment awake', async () => {
    await publish('busy', 4, 3);
    const { d, slept } = deps([env('busy')]);
    const pass = await runIdleSleepPass(d, now);
    expect(slept).toEqual([]);
    expect(pass.decisions.get('busy')).toEqual({ sleep: false, reason: 'active' });
  });

  it('leaves an environment in its grace period, an opted-out one, and stopped ones alone', async () => {
    const records = [
      env('fresh', { startedAt: new Date(now.getTime() - 10 * MINUTE).toISOString() }),
      env('websockets', { idleSleepOptOut: true }),
      env('stopped', { desired: 'stopped', status: 'stopped' }),
    ];
    const { d, slept } = deps(records);
    const pass = await runIdleSleepPass(d, now);
    expect(slept).toEqual([]);
    expect(pass.decisions.get('fresh')).toEqual({ sleep: false, reason: 'grace' });
    expect(pass.decisions.get('websockets')).toEqual({ sleep: false, reason: 'opted-out' });
    expect(pass.decisions.has('stopped')).toBe(false);
  });

  it('puts nothing to sleep and warns when the metrics cannot be read', async () => {
    const broken = new CloudWatchClient({ region: REGION, endpoint: 'http://127.0.0.1:1', credentials: EMULATOR_CREDENTIALS, maxAttempts: 1 });
    const { d, slept, warnings } = deps([env('unknown')], broken);
    const pass = await runIdleSleepPass(d, now);
    broken.destroy();
    expect(slept).toEqual([]);
    expect(pass.decisions.get('unknown')).toEqual({ sleep: false, reason: 'metrics-unavailable' });
    expect(warnings).toEqual(['idle sleep skipped this pass: the request counts could not be read']);
  });

  it('derives the load balancer from the shared listener', () => {
    expect(lbArn).toBe(`arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${prefix}-alb/50dc6c495c0c9188`);
    expect(() => loadBalancerArnOfListener('arn:aws:iam::1:role/x')).toThrow(/not an application load balancer listener ARN/);
  });
});
