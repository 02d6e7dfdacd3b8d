import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateProjectCommand } from '@aws-sdk/client-codebuild';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand } from '@aws-sdk/client-ecs';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createIdentityClients, EMULATOR_CREDENTIALS } from '../../app/src/aws/clients.js';
import { InstallationReader } from '../../app/src/aws/doctor-reads.js';
import { EcrImages } from '../../app/src/aws/ecr.js';
import { IamReader, type Decision, type SimulationRequest } from '../../app/src/aws/iam.js';
import { loadConfig } from '../../app/src/config.js';
import { runDoctor } from '../../app/src/doctor/doctor.js';
import type { DoctorTarget } from '../../app/src/doctor/target.js';
import type { DoctorReport } from '../../app/src/doctor/render.js';
import { emulatorClients, motoEndpoint, REGION, sharedInfra, uniquePrefix } from '../support/aws-fixture.js';

const ACCOUNT = '123456789012';

/** Collects what a run writes. */
function sink() {
  let text = '';
  return { write: (s: string) => (text += s), get text() { return text; } };
}

/**
 * moto has no IAM policy simulator (SimulatePrincipalPolicy) and no CodeBuild ListSourceCredentials:
 * those two answers are injected. Every other call goes to moto through the real adapters.
 */
class Simulator {
  readonly requests: SimulationRequest[] = [];
  constructor(private readonly denied: Set<string> = new Set()) {}
  async simulate(req: SimulationRequest): Promise<Map<string, Decision>> {
    this.requests.push(req);
    return new Map(req.actions.map((a) => [a, this.denied.has(a) ? 'implicitDeny' : 'allowed'] as [string, Decision]));
  }
}

class ReaderWithCredentials extends InstallationReader {
  servers: string[] = ['GITHUB'];
  override async sourceCredentialServers(): Promise<string[]> {
    return this.servers;
  }
}

describe('envbot doctor against the emulator', () => {
  const clients = emulatorClients();
  const { iam } = createIdentityClients({ region: REGION, endpoint: motoEndpoint(), credentials: EMULATOR_CREDENTIALS });
  const prefix = uniquePrefix('doctor');
  let env: NodeJS.ProcessEnv;
  let scheduleDlqUrl: string;
  let scheduleDlqArn: string;

  async function queue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
    const url = (await clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
    const a = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    return { url, arn: a.Attributes!.QueueArn! };
  }

  async function role(name: string, service: string): Promise<string> {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] };
    return (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }))).Role!.Arn!;
  }

  async function project(name: string): Promise<void> {
    await clients.codebuild.send(
      new CreateProjectCommand({
        name,
        source: { type: 'GITHUB', location: 'https://github.com/acme/shop.git' },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: `arn:aws:iam::${ACCOUNT}:role/${prefix}-build`,
      }),
    );
  }

  beforeAll(async () => {
    const infra = await sharedInfra(clients, 'doctor');
    const dlq = await queue(`${prefix}-events-dlq`);
    const events = await queue(`${prefix}-events`, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }) });
    ({ url: scheduleDlqUrl, arn: scheduleDlqArn } = await queue(`${prefix}-schedules-dlq`));
    await new EcrImages(clients.ecr).putLifecyclePolicy(infra.repositoryUri.split('/').pop()!, {
      rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } }],
    });
    await project(`${prefix}-build`);
    env = {
      ENVBOT_MODE: 'aws',
      AWS_ENDPOINT_URL: motoEndpoint(),
      AWS_REGION: REGION,
      ENVBOT_ACCOUNT_ID: ACCOUNT,
      ENVBOT_DOMAIN: 'envs.example.com',
      ENVBOT_CLUSTER: infra.cluster,
      ENVBOT_LISTENER_ARN: infra.listenerArn,
      ENVBOT_VPC_ID: infra.vpcId,
      ENVBOT_SUBNETS: infra.subnets.join(','),
      ENVBOT_SECURITY_GROUPS: infra.securityGroups.join(','),
      ENVBOT_EXECUTION_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/${prefix}-exec`,
      ENVBOT_TASK_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/${prefix}-task`,
      ENVBOT_SCHEDULER_ROLE_ARN: await role(`${prefix}-scheduler`, 'scheduler.amazonaws.com'),
      ENVBOT_SCHEDULE_GROUP: infra.scheduleGroup,
      ENVBOT_ECR_REPOSITORY: infra.repositoryUri.split('/').pop()!,
      ENVBOT_CODEBUILD_PROJECT: `${prefix}-build`,
      ENVBOT_EVENTS_QUEUE_URL: events.url,
      ENVBOT_SSM_PREFIX: `/${prefix}`,
      ENVBOT_SCHEDULE_FAILURES_QUEUE_URL: scheduleDlqUrl,
      ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN: scheduleDlqArn,
      ENVBOT_BOT_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/${prefix}-bot`,
    };
  });

  function target(e: NodeJS.ProcessEnv, simulator: Simulator, reader = new ReaderWithCredentials(clients)): () => Promise<DoctorTarget> {
    const real = new IamReader(iam);
    return async () => ({
      config: loadConfig(e),
      reader,
      iam: { simulate: (r) => simulator.simulate(r), role: (n) => real.role(n) },
      whoAmI: async () => ({ account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/operator` }),
      stop: async () => {},
    });
  }

  async function run(e: NodeJS.ProcessEnv, simulator = new Simulator(), reader?: ReaderWithCredentials): Promise<{ code: number; report: DoctorReport }> {
    const out = sink();
    const code = await runDoctor(['--json'], e, out, sink(), target(e, simulator, reader));
    return { code, report: JSON.parse(out.text) as DoctorReport };
  }

  const statusOf = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));

  it('passes every check of a complete installation and simulates each action on envbot-named resources', async () => {
    // Prepare
    const simulator = new Simulator();

    // Act
    const { code, report } = await run(env, simulator);

    // Assess
    expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(code).toBe(0);
    const create = simulator.requests.find((r) => r.actions.includes('ecs:CreateService'))!;
    expect(create.resources).toEqual([`arn:aws:ecs:${REGION}:${ACCOUNT}:service/${env.ENVBOT_CLUSTER}/envbot-doctor-probe`]);
    const passToScheduler = simulator.requests.find((r) => r.actions.includes('iam:PassRole') && r.resources[0] === env.ENVBOT_SCHEDULER_ROLE_ARN)!;
    expect(passToScheduler.context).toEqual({ 'iam:PassedToService': 'scheduler.amazonaws.com' });
    // The scheduler role itself: UpdateService, and delivery of failed invocations to the DLQ.
    const asScheduler = simulator.requests.filter((r) => r.principalArn === env.ENVBOT_SCHEDULER_ROLE_ARN).map((r) => `${r.actions[0]} ${r.resources[0]}`);
    expect(asScheduler).toEqual([
      `ecs:UpdateService arn:aws:ecs:${REGION}:${ACCOUNT}:service/${env.ENVBOT_CLUSTER}/envbot-doctor-probe`,
      `sqs:SendMessage arn:aws:sqs:${REGION}:${ACCOUNT}:${prefix}-schedules-dlq`,
    ]);
  });

  it('fails each broken part with what to do, and exits 1', async () => {
    // Prepare: a FARGATE-only cluster, a role Scheduler may not assume, a failed schedule waiting
    // in its dead-letter queue, a repository without lifecycle policy, no GitHub credentials,
    // and a bot role without ecs:CreateService.
    const cluster = `${prefix}-ondemand`;
    await clients.ecs.send(new CreateClusterCommand({ clusterName: cluster, capacityProviders: ['FARGATE'] }));
    await clients.ecr.send(new CreateRepositoryCommand({ repositoryName: `${prefix}-bare` }));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: scheduleDlqUrl, MessageBody: '{}' }));
    const broken = {
      ...env,
      ENVBOT_CLUSTER: cluster,
      ENVBOT_ECR_REPOSITORY: `${prefix}-bare`,
      ENVBOT_SCHEDULER_ROLE_ARN: await role(`${prefix}-wrong-trust`, 'ecs-tasks.amazonaws.com'),
    };
    const reader = new ReaderWithCredentials(clients);
    reader.servers = [];

    // Act
    const { code, report } = await run(broken, new Simulator(new Set(['ecs:CreateService'])), reader);

    // Assess
    expect(code).toBe(1);
    expect(statusOf(report)).toEqual({
      'bot-permissions': 'fail',
      'capacity-providers': 'fail',
      'listener-headroom': 'ok',
      'schedule-group': 'fail',
      'dead-letter-queues': 'fail',
      'image-lifecycle': 'fail',
      'build-project': 'fail',
      'parameter-store': 'ok',
    });
    for (const c of report.checks.filter((x) => x.status === 'fail')) expect(c.fix, c.id).toMatch(/\w/);
    expect(report.checks.find((c) => c.id === 'bot-permissions')!.detail).toContain('ecs:CreateService');
    expect(report.checks.find((c) => c.id === 'capacity-providers')!.fix).toContain('FARGATE_SPOT');
    expect(report.checks.find((c) => c.id === 'dead-letter-queues')!.detail).toContain('1 failed invocation');
  });

  it('prints a readable checklist without --json, and refuses unknown arguments', async () => {
    // Act
    const out = sink();
    const code = await runDoctor([], env, out, sink(), target(env, new Simulator()));
    const err = sink();
    const bad = await runDoctor(['--jsn'], env, sink(), err);

    // Assess
    expect(code).toBe(1); // the schedule DLQ still holds the failed invocation from the test above
    expect(out.text).toContain('[ ok ] Cluster has FARGATE and FARGATE_SPOT');
    expect(out.text).toMatch(/\[FAIL\] Dead-letter queues.*\n.*\n\s+what to do: /);
    expect(bad).toBe(2);
    expect(err.text).toContain('unknown argument "--jsn"');
  });

  it('in local mode checks the running bot\'s emulator, read-only, found through the bot', async () => {
    // Prepare: a stand-in local bot that answers GET /dashboard/api/runtime as the real one does.
    const infra = await sharedInfra(clients, 'doctorlocal');
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/dashboard/api/runtime' ? JSON.stringify({ mode: 'local', emulator: { endpoint: motoEndpoint(), region: REGION }, infra }) : '{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const bot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const out = sink();

    // Act
    const code = await runDoctor([], { ENVBOT_MODE: 'local', ENVBOT_URL: bot, AWS_REGION: REGION }, out, sink()).finally(
      () => new Promise<void>((r) => server.close(() => r())),
    );

    // Assess
    expect(code).toBe(0);
    expect(out.text).toContain(`envbot doctor — local emulator: the running bot's emulator (${bot})`);
    expect(out.text).toContain('[ ok ] Cluster has FARGATE and FARGATE_SPOT');
    expect(out.text).toContain(`cluster ${infra.cluster} is ACTIVE`);
    expect(out.text).toContain('[skip] Bot role can do every AWS action envbot needs');
  });

  it('in local mode without a running bot sets up an emulator as `npm start` does and prints its checklist', async () => {
    // Prepare: no bot answers; AWS_ENDPOINT_URL points at this run's emulator instead of starting another.
    const out = sink();

    // Act
    const code = await runDoctor([], { ENVBOT_MODE: 'local', ENVBOT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL: motoEndpoint(), AWS_REGION: REGION }, out, sink());

    // Assess
    expect(code).toBe(0);
    expect(out.text).toContain(`envbot doctor — local emulator: ${motoEndpoint()}`);
    expect(out.text).toContain('[ ok ] Cluster has FARGATE and FARGATE_SPOT');
    expect(out.text).toContain('[ ok ] Parameter Store prefix is readable');
  });
});
