import { botIamNeeds } from '../../app/src/doctor/aws-operations.js';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../app/src/config.js';
import type { InstallationReader } from '../../app/src/aws/doctor-reads.js';
import type { DoctorContext } from '../../app/src/doctor/check.js';
import { listenerHeadroom } from '../../app/src/doctor/checks/listener-headroom.js';
import { installationOf, resolveArn } from '../../app/src/doctor/installation.js';

const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/envbot/abc/def';

function context(rulesUsed: number): DoctorContext {
  const config = configSchema.parse({ mode: 'aws', domain: 'envs.example.com', listenerArn: LISTENER });
  const reader = { listenerRuleCount: async () => rulesUsed } as unknown as InstallationReader;
  return { config, mode: 'aws', installation: installationOf(config, '123456789012'), reader, iam: {} as DoctorContext['iam'] };
}

describe('listener rule headroom (ALB quota: 100 rules per load balancer, default rule not counted)', () => {
  it('is ok with room for every environment ENVBOT_MAX_TOTAL allows', async () => {
    expect((await listenerHeadroom.run(context(2))).status).toBe('ok');
  });

  it('warns when fewer than 10 rules are free', async () => {
    const result = await listenerHeadroom.run(context(92));
    expect(result.status).toBe('warn');
    expect(result.fix).toContain('only 8 more environment(s) fit');
  });

  it('fails when the listener is full', async () => {
    const result = await listenerHeadroom.run(context(100));
    expect(result.status).toBe('fail');
    expect(result.detail).toContain('100 of 100 rules used, 0 free');
  });

  it('says a higher rule quota helps only up to the 100 target groups an ALB may forward to (not adjustable)', async () => {
    expect((await listenerHeadroom.run(context(100))).fix).toContain('an ALB forwards to at most 100 target groups (not adjustable)');
    expect((await listenerHeadroom.run(context(92))).fix).toContain('helps only up to 99 environments');
  });
});

describe('ARN templates of the operation catalogue', () => {
  const inst = installationOf(
    configSchema.parse({ mode: 'aws', domain: 'envs.example.com', listenerArn: LISTENER, eventsQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/envbot-task-events' }),
    '123456789012',
  );

  it('puts a probe name where envbot picks names and derives rule and queue ARNs', () => {
    expect(resolveArn('arn:aws:ecs:{region}:{account}:service/{cluster}/envbot-*', inst)).toBe(
      'arn:aws:ecs:us-east-1:123456789012:service/envbot/envbot-doctor-probe',
    );
    expect(resolveArn('{listenerRule}', inst)).toBe('arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/envbot/abc/def/0123456789abcdef');
    expect(resolveArn('{eventsQueue}', inst)).toBe('arn:aws:sqs:us-east-1:123456789012:envbot-task-events');
    expect(resolveArn('*', inst)).toBe('*');
  });

  it('simulates iam:PassRole on the protected build role for StartBuild (serviceRoleOverride), when one is configured', () => {
    const need = botIamNeeds().find((n) => n.resource === '{protectedBuildRole}');
    expect(need).toMatchObject({ actions: ['iam:PassRole'], context: { 'iam:PassedToService': 'codebuild.amazonaws.com' } });
    const role = 'arn:aws:iam::123456789012:role/envbot-protected-builds';
    const withRole = installationOf(configSchema.parse({ mode: 'aws', domain: 'envs.example.com', builds: { protectedRoleArn: role } }), '123456789012');
    expect(resolveArn('{protectedBuildRole}', withRole)).toBe(role);
    expect(resolveArn('{protectedBuildRole}', inst)).toBeUndefined();
  });

  it('returns undefined when the installation lacks a setting the template needs', () => {
    expect(resolveArn('{schedulerRole}', inst)).toBeUndefined();
  });
});
