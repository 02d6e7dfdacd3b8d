import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { readRequestActivity } from '../../app/src/aws/request-metrics.js';

// moto never paginates GetMetricData (no MaxDatapoints/NextToken), so AWS's paging is imitated here:
// when a call's datapoints exceed the page, AWS returns the rest of each query's series with NextToken.
const lb = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/envbot/50dc6c495c0c9188';
const tg = (n: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${n}/73e2d6bc24d8a067`;
const window = { start: new Date('2026-06-01T10:00:00Z'), end: new Date('2026-06-01T11:00:00Z'), periodSeconds: 60 };

describe('request counts: GetMetricData paging', () => {
  it('follows NextToken and adds the pages of each query together', async () => {
    const cw = new CloudWatchClient({ region: 'us-east-1' });
    const mock = mockClient(cw);
    const t = (m: number) => new Date(window.start.getTime() + m * 60_000);
    mock
      .on(GetMetricDataCommand, { NextToken: undefined })
      .resolves({ MetricDataResults: [{ Id: 'q0', Values: [3, 2], Timestamps: [t(50), t(40)], StatusCode: 'PartialData' }], NextToken: 'page-2' })
      .on(GetMetricDataCommand, { NextToken: 'page-2' })
      .resolves({ MetricDataResults: [{ Id: 'q0', Values: [5], Timestamps: [t(10)], StatusCode: 'Complete' }, { Id: 'q1', Values: [], Timestamps: [], StatusCode: 'Complete' }] });
    const got = await readRequestActivity(cw, [{ key: 'a', targetGroupArn: tg('a'), loadBalancerArn: lb }, { key: 'b', targetGroupArn: tg('b'), loadBalancerArn: lb }], window);
    expect(got.get('a')).toEqual({ key: 'a', total: 10, lastRequestPeriod: t(50) });
    expect(got.get('b')).toEqual({ key: 'b', total: 0 });
    expect(mock.commandCalls(GetMetricDataCommand)).toHaveLength(2);
    mock.restore();
  });

  it('names the missing permission when CloudWatch refuses', async () => {
    const cw = new CloudWatchClient({ region: 'us-east-1' });
    const mock = mockClient(cw);
    mock.on(GetMetricDataCommand).rejects(Object.assign(new Error('not authorized to perform: cloudwatch:GetMetricData'), { name: 'AccessDenied' }));
    await expect(readRequestActivity(cw, [{ key: 'a', targetGroupArn: tg('a'), loadBalancerArn: lb }], window)).rejects.toThrow('grant the bot role cloudwatch:GetMetricData');
    mock.restore();
  });
});
