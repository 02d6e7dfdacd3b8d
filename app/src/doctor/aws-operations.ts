/**
 * Every AWS operation envbot calls, in one list: what the bot role must be allowed to do (the
 * doctor's IAM simulation and the test/infra grant check read it), and the rows of the catalogue
 * table in docs/aws-behaviours.md (generated from it: `npx tsx app/src/doctor/write-catalogue.ts`).
 *
 * Resources are ARN templates. `{name}` placeholders come from the installation (see
 * `installationArns`); a `*` stands for a name envbot chooses at run time (the simulation puts a
 * probe name there).
 */

export type Who =
  /** The running bot in a real account: its task role must allow it. */
  | 'bot'
  /** Local mode and tests only (the CDK stack creates these resources in an account). */
  | 'local'
  /** `envbot doctor` and the live smoke test, with the operator's own credentials. */
  | 'operator';

export interface IamNeed {
  actions: string[];
  /** ARN template, or `*` for actions AWS cannot scope to a resource. */
  resource: string;
  /** Condition keys the bot's policy uses, with the value a real call carries. */
  context?: Record<string, string>;
}

export interface AwsOperation {
  service: string;
  operation: string;
  who: Who;
  /** Adapter file in app/src that sends it. */
  caller: string;
  params: string;
  iam: IamNeed[];
  /** What AWS does that moto does not (or "—" when nothing envbot depends on differs). */
  awsNotMoto: string;
  /** AWS API reference page (and guide, where one says more). */
  source: string;
  /** Test file(s) that cover it. */
  test: string;
}

const ref = {
  ecs: (op: string) => `https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_${op}.html`,
  elb: (op: string) => `https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_${op}.html`,
  ssm: (op: string) => `https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_${op}.html`,
  scheduler: (op: string) => `https://docs.aws.amazon.com/scheduler/latest/APIReference/API_${op}.html`,
  ecr: (op: string) => `https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_${op}.html`,
  codebuild: (op: string) => `https://docs.aws.amazon.com/codebuild/latest/APIReference/API_${op}.html`,
  logs: (op: string) => `https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_${op}.html`,
  sqs: (op: string) => `https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_${op}.html`,
  dynamodb: (op: string) => `https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_${op}.html`,
  ec2: (op: string) => `https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_${op}.html`,
  iam: (op: string) => `https://docs.aws.amazon.com/IAM/latest/APIReference/API_${op}.html`,
  sts: (op: string) => `https://docs.aws.amazon.com/STS/latest/APIReference/API_${op}.html`,
};

// ARN templates of envbot's resources (the bot policy in infra/lib/bot-permissions.ts names the same).
const SERVICE = 'arn:aws:ecs:{region}:{account}:service/{cluster}/envbot-*';
const TASK_DEFINITION = 'arn:aws:ecs:{region}:{account}:task-definition/envbot-*:1';
const TARGET_GROUP = 'arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/eb-*/0123456789abcdef';
const LISTENER = '{listener}';
const LISTENER_RULE = '{listenerRule}';
const PARAMETER = 'arn:aws:ssm:{region}:{account}:parameter/{ssmPath}/*';
const SCHEDULE = 'arn:aws:scheduler:{region}:{account}:schedule/{scheduleGroup}/envbot-*';
const REPOSITORY = 'arn:aws:ecr:{region}:{account}:repository/{repository}';
const PROJECT = 'arn:aws:codebuild:{region}:{account}:project/{project}';
const BUILD_LOG = 'arn:aws:logs:{region}:{account}:log-group:{buildLogGroup}:log-stream:*';
const QUEUE = '{eventsQueue}';
const TABLE = 'arn:aws:dynamodb:{region}:{account}:table/{table}';
const CLUSTER_ARN = 'arn:aws:ecs:{region}:{account}:cluster/{cluster}';

const inCluster = { 'ecs:cluster': CLUSTER_ARN };
const passToEcs = { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' };
const passToScheduler = { 'iam:PassedToService': 'scheduler.amazonaws.com' };
const passToCodeBuild = { 'iam:PassedToService': 'codebuild.amazonaws.com' };

const ECS_FILE = 'app/src/aws/ecs.ts';
const ELB_FILE = 'app/src/aws/elb.ts';
const SSM_FILE = 'app/src/aws/ssm.ts';
const SCHEDULER_FILE = 'app/src/aws/scheduler.ts';
const ECR_FILE = 'app/src/aws/ecr.ts';
const LOCAL_FILE = 'app/src/local/shared-infra.ts';
const DOCTOR_FILE = 'app/src/aws/doctor-reads.ts';

const ecsOps: AwsOperation[] = [
  {
    service: 'ECS', operation: 'DescribeTaskDefinition', who: 'bot', caller: ECS_FILE,
    params: 'taskDefinition=family (latest ACTIVE), include=[TAGS]',
    iam: [
      { actions: ['ecs:DescribeTaskDefinition'], resource: '*' },
      // The API reference does not say whether include=TAGS is also authorised as ListTagsForResource: granted to be safe.
      { actions: ['ecs:ListTagsForResource'], resource: TASK_DEFINITION },
    ],
    awsNotMoto: 'A missing family is a ClientException "Unable to describe task definition", not a NotFound error.',
    source: ref.ecs('DescribeTaskDefinition'), test: 'test/aws/engine-lifecycle.test.ts',
  },
  {
    service: 'ECS', operation: 'RegisterTaskDefinition', who: 'bot', caller: ECS_FILE,
    params: 'family envbot-<env>, FARGATE, awsvpc, cpu/memory pair, executionRoleArn, taskRoleArn, secrets by SSM ARN, tags',
    iam: [
      { actions: ['ecs:RegisterTaskDefinition'], resource: '*' },
      { actions: ['ecs:TagResource'], resource: TASK_DEFINITION },
      { actions: ['iam:PassRole'], resource: '{executionRole}', context: passToEcs },
      { actions: ['iam:PassRole'], resource: '{taskRole}', context: passToEcs },
    ],
    awsNotMoto: 'Tags on create need ecs:TagResource (tag-on-create authorization); only valid Fargate cpu/memory pairs are accepted; PassRole is checked for both roles.',
    source: ref.ecs('RegisterTaskDefinition'), test: 'test/aws/engine-lifecycle.test.ts',
  },
  {
    service: 'ECS', operation: 'ListTaskDefinitions', who: 'bot', caller: ECS_FILE,
    params: 'familyPrefix, status=ACTIVE, paged (prefix also matches longer families: filtered exactly)',
    iam: [{ actions: ['ecs:ListTaskDefinitions'], resource: '*' }],
    awsNotMoto: 'familyPrefix is a prefix match; results are paged with nextToken.',
    source: ref.ecs('ListTaskDefinitions'), test: 'test/aws/engine-lifecycle.test.ts',
  },
  {
    service: 'ECS', operation: 'DeregisterTaskDefinition', who: 'bot', caller: ECS_FILE,
    params: 'one revision ARN per call',
    iam: [{ actions: ['ecs:DeregisterTaskDefinition'], resource: '*' }],
    awsNotMoto: 'Revisions become INACTIVE (still describable), not deleted.',
    source: ref.ecs('DeregisterTaskDefinition'), test: 'test/aws/engine-lifecycle.test.ts',
  },
  {
    service: 'ECS', operation: 'DescribeServices', who: 'bot', caller: ECS_FILE,
    params: 'cluster, up to 10 services, include=[TAGS]',
    iam: [{ actions: ['ecs:DescribeServices', 'ecs:ListTagsForResource'], resource: SERVICE }],
    awsNotMoto: 'A deleted service is DRAINING for a while, then INACTIVE; capacityProviderStrategy comes back with base: 0; events carry placement failures (fidelity layer).',
    source: ref.ecs('DescribeServices'), test: 'test/aws/engine-lifecycle.test.ts, test/aws/resync.test.ts',
  },
  {
    service: 'ECS', operation: 'ListServices', who: 'bot', caller: ECS_FILE,
    params: 'cluster, maxResults=100, paged',
    iam: [{ actions: ['ecs:ListServices'], resource: '*', context: inCluster }],
    awsNotMoto: 'Paged with nextToken until it is absent (a page may be empty); the loop stops on a repeated token, which an emulator that ignores paging sends.',
    source: ref.ecs('ListServices'), test: 'test/aws/resync.test.ts, test/unit/ecs-list-services.test.ts',
  },
  {
    service: 'ECS', operation: 'CreateService', who: 'bot', caller: ECS_FILE,
    params: 'capacityProviderStrategy (FARGATE_SPOT / FARGATE), awsvpc network, loadBalancers (target group, container, port), health-check grace, circuit breaker, propagateTags=SERVICE, tags, clientToken',
    iam: [{ actions: ['ecs:CreateService', 'ecs:TagResource'], resource: SERVICE }],
    awsNotMoto: 'Refuses a target group no listener uses; a reused clientToken with a different request is an error; the name is taken while the old service drains (fidelity layer).',
    source: ref.ecs('CreateService'), test: 'test/aws/engine-lifecycle.test.ts',
  },
  {
    service: 'ECS', operation: 'UpdateService', who: 'bot', caller: ECS_FILE,
    params: 'desiredCount, taskDefinition, capacityProviderStrategy (+forceNewDeployment)',
    iam: [{ actions: ['ecs:UpdateService'], resource: SERVICE }],
    awsNotMoto: 'ServiceNotActiveException on a DRAINING service; a strategy change needs a new deployment (fidelity layer).',
    source: ref.ecs('UpdateService'), test: 'test/aws/engine-lifecycle.test.ts',
  },
  {
    service: 'ECS', operation: 'DeleteService', who: 'bot', caller: ECS_FILE,
    params: 'force=true',
    iam: [{ actions: ['ecs:DeleteService'], resource: SERVICE }],
    awsNotMoto: 'The service stays DRAINING until its tasks stop (fidelity layer).',
    source: ref.ecs('DeleteService'), test: 'test/aws/engine-lifecycle.test.ts',
  },
  {
    service: 'ECS', operation: 'ListClusters', who: 'bot', caller: 'app/src/aws/clients.ts',
    params: 'maxResults=1 (GET /healthz: proves AWS answers)',
    iam: [{ actions: ['ecs:ListClusters'], resource: '*' }],
    awsNotMoto: '—', source: ref.ecs('ListClusters'), test: 'test/e2e/api-and-health.test.ts',
  },
];

const elbOps: AwsOperation[] = [
  {
    service: 'ELBv2', operation: 'DescribeTargetGroups', who: 'bot', caller: ELB_FILE,
    params: 'Names=[eb-<env>] or all (PageSize 400, paged) for the orphan sweep',
    iam: [{ actions: ['elasticloadbalancing:DescribeTargetGroups'], resource: '*' }],
    awsNotMoto: 'A missing name is TargetGroupNotFoundException.',
    source: ref.elb('DescribeTargetGroups'), test: 'test/aws/engine-lifecycle.test.ts',
  },
  {
    service: 'ELBv2', operation: 'CreateTargetGroup', who: 'bot', caller: ELB_FILE,
    params: 'HTTP, TargetType=ip, Port, VpcId, health check path/interval/threshold/matcher, Tags',
    iam: [{ actions: ['elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:AddTags'], resource: TARGET_GROUP }],
    awsNotMoto: 'Same name and same settings returns the existing group; different settings is DuplicateTargetGroupName; name at most 32 characters.',
    source: ref.elb('CreateTargetGroup'), test: 'test/aws/engine-lifecycle.test.ts',
  },
  {
    service: 'ELBv2', operation: 'ModifyTargetGroup', who: 'bot', caller: ELB_FILE,
    params: 'HealthCheckPath, health check interval 5 s / timeout 4 s / thresholds 2 and 3 (re-tunes older groups)',
    iam: [{ actions: ['elasticloadbalancing:ModifyTargetGroup'], resource: TARGET_GROUP }],
    awsNotMoto: 'The port of a target group cannot be changed (only a new group helps).',
    source: ref.elb('ModifyTargetGroup'), test: 'test/aws/engine-lifecycle.test.ts',
  },
  {
    service: 'ELBv2', operation: 'ModifyTargetGroupAttributes', who: 'bot', caller: ELB_FILE,
    params: 'deregistration_delay.timeout_seconds (target group timings; CreateTargetGroup takes no attributes)',
    iam: [{ actions: ['elasticloadbalancing:ModifyTargetGroupAttributes'], resource: TARGET_GROUP }],
    awsNotMoto: 'The default deregistration delay is 300 s: a replaced task keeps running (and billed) that long.',
    source: ref.elb('ModifyTargetGroupAttributes'), test: 'test/aws/engine-lifecycle.test.ts, test/aws/engine-real-aws.test.ts, test/unit/target-group-tuning.test.ts',
  },
  {
    service: 'ELBv2', operation: 'DeleteTargetGroup', who: 'bot', caller: ELB_FILE,
    params: 'TargetGroupArn',
    iam: [{ actions: ['elasticloadbalancing:DeleteTargetGroup'], resource: TARGET_GROUP }],
    awsNotMoto: 'ResourceInUse while a rule still forwards to it (fidelity layer).',
    source: ref.elb('DeleteTargetGroup'), test: 'test/aws/engine-lifecycle.test.ts',
  },
  {
    service: 'ELBv2', operation: 'DescribeRules', who: 'bot', caller: ELB_FILE,
    params: 'ListenerArn, PageSize 100, paged',
    iam: [{ actions: ['elasticloadbalancing:DescribeRules'], resource: '*' }],
    awsNotMoto: '—', source: ref.elb('DescribeRules'), test: 'test/aws/engine-lifecycle.test.ts',
  },
  {
    service: 'ELBv2', operation: 'CreateRule', who: 'bot', caller: ELB_FILE,
    params: 'Priority (claimed base × 10 + slot), host-header (+ source-ip / http-header) conditions, forward (weighted with the waking group) / authenticate-oidc / fixed-response actions, Tags',
    iam: [
      { actions: ['elasticloadbalancing:CreateRule'], resource: LISTENER },
      { actions: ['elasticloadbalancing:AddTags'], resource: LISTENER_RULE },
    ],
    awsNotMoto: 'TooManyRules at 100 rules per load balancer (default rules not counted, adjustable); TooManyUniqueTargetGroupsPerLoadBalancer at 100 target groups per load balancer (not adjustable); PriorityInUse (fidelity layer).',
    source: ref.elb('CreateRule'), test: 'test/aws/engine-lifecycle.test.ts, test/aws/fidelity-ecs-elb.test.ts',
  },
  {
    service: 'ELBv2', operation: 'ModifyRule', who: 'bot', caller: ELB_FILE,
    params: 'Actions (forward weights flipped for sleep and wake; authenticate-oidc resent with UseExistingClientSecret), Conditions when protection changed',
    iam: [{ actions: ['elasticloadbalancing:ModifyRule'], resource: LISTENER_RULE }],
    awsNotMoto: '—', source: ref.elb('ModifyRule'), test: 'test/aws/resync.test.ts, test/aws/front-door-reconcile.test.ts, test/e2e/wake-on-request.test.ts',
  },
  {
    service: 'ELBv2', operation: 'DeleteRule', who: 'bot', caller: ELB_FILE,
    params: 'RuleArn',
    iam: [{ actions: ['elasticloadbalancing:DeleteRule'], resource: LISTENER_RULE }],
    awsNotMoto: '—', source: ref.elb('DeleteRule'), test: 'test/aws/engine-lifecycle.test.ts',
  },
  {
    service: 'ELBv2', operation: 'DescribeTags', who: 'bot', caller: ELB_FILE,
    params: 'up to 20 ResourceArns per call (orphan sweep)',
    iam: [{ actions: ['elasticloadbalancing:DescribeTags'], resource: '*' }],
    awsNotMoto: 'More than 20 ARNs is a validation error.',
    source: ref.elb('DescribeTags'), test: 'test/aws/resync.test.ts',
  },
];

const ssmOps: AwsOperation[] = [
  {
    service: 'SSM', operation: 'GetParametersByPath', who: 'bot', caller: SSM_FILE,
    params: 'Path=<prefix>/<layer>/, Recursive=false, WithDecryption=false, MaxResults=10, paged',
    iam: [{ actions: ['ssm:GetParametersByPath'], resource: PARAMETER }],
    awsNotMoto: 'MaxResults above 10 is rejected; the IAM resource is the path itself.',
    source: ref.ssm('GetParametersByPath'), test: 'test/aws/engine-lifecycle.test.ts, test/aws/ssm.test.ts',
  },
  {
    service: 'SSM', operation: 'PutParameter', who: 'bot', caller: SSM_FILE,
    params: 'Type String|SecureString, Overwrite=true (no Tags: not allowed with Overwrite)',
    iam: [{ actions: ['ssm:PutParameter'], resource: PARAMETER }],
    awsNotMoto: 'Tags together with Overwrite is a ValidationException; standard-tier values are at most 4 KB.',
    source: ref.ssm('PutParameter'), test: 'test/aws/ssm.test.ts',
  },
  {
    service: 'SSM', operation: 'AddTagsToResource', who: 'bot', caller: SSM_FILE,
    params: 'ResourceType=Parameter, ResourceId=<name>',
    iam: [{ actions: ['ssm:AddTagsToResource'], resource: PARAMETER }],
    awsNotMoto: '—', source: ref.ssm('AddTagsToResource'), test: 'test/aws/ssm.test.ts',
  },
  {
    service: 'SSM', operation: 'DeleteParameter', who: 'bot', caller: SSM_FILE,
    params: 'Name', iam: [{ actions: ['ssm:DeleteParameter'], resource: PARAMETER }],
    awsNotMoto: 'ParameterNotFound for a missing name.', source: ref.ssm('DeleteParameter'), test: 'test/aws/ssm.test.ts',
  },
  {
    service: 'SSM', operation: 'DeleteParameters', who: 'bot', caller: SSM_FILE,
    params: 'up to 10 Names per call',
    iam: [{ actions: ['ssm:DeleteParameters'], resource: PARAMETER }],
    awsNotMoto: 'Missing names come back in InvalidParameters, not as an error.',
    source: ref.ssm('DeleteParameters'), test: 'test/aws/ssm.test.ts',
  },
];

const schedulerOps: AwsOperation[] = [
  {
    service: 'Scheduler', operation: 'GetSchedule', who: 'bot', caller: SCHEDULER_FILE,
    params: 'Name, GroupName', iam: [{ actions: ['scheduler:GetSchedule'], resource: SCHEDULE }],
    awsNotMoto: '—', source: ref.scheduler('GetSchedule'), test: 'test/aws/scheduler.test.ts',
  },
  {
    service: 'Scheduler', operation: 'CreateSchedule', who: 'bot', caller: SCHEDULER_FILE,
    params: 'cron/at expression + time zone, FlexibleTimeWindow OFF, universal target arn:aws:scheduler:::aws-sdk:ecs:updateService, RoleArn, Input, RetryPolicy',
    iam: [
      { actions: ['scheduler:CreateSchedule'], resource: SCHEDULE },
      { actions: ['iam:PassRole'], resource: '{schedulerRole}', context: passToScheduler },
    ],
    awsNotMoto: 'The universal target takes the ECS request in PascalCase; a wrong Input is accepted at create time and only fails at invocation (fidelity layer checks it against the SDK model).',
    source: ref.scheduler('CreateSchedule'), test: 'test/aws/scheduler.test.ts, test/aws/engine-schedules.test.ts',
  },
  {
    service: 'Scheduler', operation: 'UpdateSchedule', who: 'bot', caller: SCHEDULER_FILE,
    params: 'the whole schedule (UpdateSchedule replaces every field)',
    iam: [
      { actions: ['scheduler:UpdateSchedule'], resource: SCHEDULE },
      { actions: ['iam:PassRole'], resource: '{schedulerRole}', context: passToScheduler },
    ],
    awsNotMoto: 'Fields left out are reset to their defaults; a StartDate in the past is rejected.',
    source: ref.scheduler('UpdateSchedule'), test: 'test/aws/scheduler.test.ts',
  },
  {
    service: 'Scheduler', operation: 'DeleteSchedule', who: 'bot', caller: SCHEDULER_FILE,
    params: 'Name, GroupName', iam: [{ actions: ['scheduler:DeleteSchedule'], resource: SCHEDULE }],
    awsNotMoto: '—', source: ref.scheduler('DeleteSchedule'), test: 'test/aws/scheduler.test.ts',
  },
  {
    service: 'Scheduler', operation: 'ListSchedules', who: 'bot', caller: SCHEDULER_FILE,
    params: 'GroupName, NamePrefix envbot-<env>-, paged',
    iam: [{ actions: ['scheduler:ListSchedules'], resource: '*' }],
    awsNotMoto: 'NamePrefix of env `a` also matches env `a-b` (filtered).',
    source: ref.scheduler('ListSchedules'), test: 'test/aws/scheduler.test.ts',
  },
];

const buildOps: AwsOperation[] = [
  {
    service: 'ECR', operation: 'DescribeImages', who: 'bot', caller: ECR_FILE,
    params: 'imageIds=[{imageTag}] or all (maxResults 1000, paged)',
    iam: [{ actions: ['ecr:DescribeImages'], resource: REPOSITORY }],
    awsNotMoto: 'An unknown tag is ImageNotFoundException.', source: ref.ecr('DescribeImages'), test: 'test/aws/ecr.test.ts',
  },
  {
    service: 'ECR', operation: 'BatchGetImage', who: 'bot', caller: ECR_FILE,
    params: 'imageIds=[{imageTag}], acceptedMediaTypes (docker v2 / OCI, so the digest is kept)',
    iam: [{ actions: ['ecr:BatchGetImage'], resource: REPOSITORY }],
    awsNotMoto: 'Without acceptedMediaTypes ECR may convert the manifest to schema 1.',
    source: ref.ecr('BatchGetImage'), test: 'test/aws/ecr.test.ts',
  },
  {
    service: 'ECR', operation: 'PutImage', who: 'bot', caller: ECR_FILE,
    params: 'the same manifest + media type + digest under a new tag',
    iam: [{ actions: ['ecr:PutImage'], resource: REPOSITORY }],
    awsNotMoto: 'ImageAlreadyExists when the tag already names this manifest; an IMMUTABLE repository refuses a tag another image holds with ImageTagAlreadyExists (moto names it differently: envbot decides by reading who holds the tag, not by the name).',
    source: ref.ecr('PutImage'), test: 'test/aws/ecr.test.ts',
  },
  {
    service: 'ECR', operation: 'BatchDeleteImage', who: 'bot', caller: ECR_FILE,
    params: 'one imageTag or imageDigest',
    iam: [{ actions: ['ecr:BatchDeleteImage'], resource: REPOSITORY }],
    awsNotMoto: 'Failures come back in the body (failures[]), not as an exception.',
    source: ref.ecr('BatchDeleteImage'), test: 'test/aws/ecr.test.ts',
  },
  {
    service: 'CodeBuild', operation: 'StartBuild', who: 'bot', caller: 'app/src/aws/codebuild.ts',
    params: 'projectName, sourceVersion=<sha>, PLAINTEXT env overrides, idempotencyToken (one per claim), protected branches: serviceRoleOverride + cacheOverride',
    iam: [
      { actions: ['codebuild:StartBuild'], resource: PROJECT },
      // serviceRoleOverride passes the protected build role (only when ENVBOT_PROTECTED_BUILD_ROLE_ARN is set).
      { actions: ['iam:PassRole'], resource: '{protectedBuildRole}', context: passToCodeBuild },
    ],
    awsNotMoto: 'Not emulated: CodeBuild is faked in tests (test/aws/codebuild-fakes.ts). The idempotency token is valid for 5 minutes: the same token returns the same (possibly failed) build, the same token with other parameters is an error.',
    source: ref.codebuild('StartBuild'), test: 'test/aws/codebuild.test.ts, test/aws/build-once.test.ts',
  },
  {
    service: 'CodeBuild', operation: 'BatchGetBuilds', who: 'bot', caller: 'app/src/aws/codebuild.ts',
    params: 'ids=[buildId]', iam: [{ actions: ['codebuild:BatchGetBuilds'], resource: PROJECT }],
    awsNotMoto: 'Unknown ids come back in buildsNotFound, not as an error.', source: ref.codebuild('BatchGetBuilds'), test: 'test/aws/codebuild.test.ts',
  },
  {
    service: 'CodeBuild', operation: 'StopBuild', who: 'bot', caller: 'app/src/aws/codebuild.ts',
    params: 'id', iam: [{ actions: ['codebuild:StopBuild'], resource: PROJECT }],
    awsNotMoto: '—', source: ref.codebuild('StopBuild'), test: 'test/aws/codebuild.test.ts',
  },
  {
    service: 'CloudWatch Logs', operation: 'GetLogEvents', who: 'bot', caller: 'app/src/aws/build-logs.ts',
    params: 'the build log group/stream, limit=N, startFromHead=false (the last N lines)',
    iam: [{ actions: ['logs:GetLogEvents'], resource: BUILD_LOG }],
    awsNotMoto: 'A page may be partial or even empty while nextBackwardToken still leads to more (paging ends when the token comes back unchanged); moto always fills the page.',
    source: ref.logs('GetLogEvents'), test: 'test/aws/build-logs.test.ts, test/aws/codebuild.test.ts',
  },
];

const stateOps: AwsOperation[] = [
  {
    service: 'CloudWatch', operation: 'GetMetricData', who: 'bot', caller: 'app/src/aws/request-metrics.ts',
    params: 'AWS/ApplicationELB RequestCount per TargetGroup+LoadBalancer (Sum), at most 500 queries per call, NextToken paging',
    iam: [{ actions: ['cloudwatch:GetMetricData'], resource: '*' }],
    awsNotMoto: 'More than 500 queries or an Id not starting lowercase is a ValidationError; a period without requests has no datapoint; results page with NextToken (moto never pages).',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html', test: 'test/aws/request-metrics.test.ts, test/unit/request-metrics-paging.test.ts',
  },
  {
    service: 'SQS', operation: 'ReceiveMessage', who: 'bot', caller: 'app/src/aws/sqs-consumer.ts',
    params: 'WaitTimeSeconds=20 (max), MaxNumberOfMessages=10 (max), MessageSystemAttributeNames=[ApproximateReceiveCount]',
    iam: [{ actions: ['sqs:ReceiveMessage'], resource: QUEUE }],
    awsNotMoto: 'Values above the maxima are rejected.', source: ref.sqs('ReceiveMessage'), test: 'test/aws/task-events.test.ts',
  },
  {
    service: 'SQS', operation: 'DeleteMessageBatch', who: 'bot', caller: 'app/src/aws/sqs-consumer.ts',
    params: 'each message right after its handler succeeded (unique Ids, up to 10 per call)',
    iam: [{ actions: ['sqs:DeleteMessage'], resource: QUEUE }],
    awsNotMoto: 'Partial failures come back in Failed[]; the IAM action is sqs:DeleteMessage. Only the latest receipt handle deletes a message received again after its visibility timeout.',
    source: ref.sqs('DeleteMessageBatch'), test: 'test/aws/sqs-consumer.test.ts, test/aws/task-events.test.ts',
  },
  ...(
    [
      ['GetItem', 'ConsistentRead=true for records, leases and claims'],
      ['PutItem', 'conditional puts (version, lease, priority, once-keys)'],
      ['UpdateItem', 'build claims; cost stop updates (inside transactions)'],
      ['DeleteItem', 'conditional deletes (version, lease holder, claim owner)'],
      ['Query', 'pk = :pk, ConsistentRead, paged with LastEvaluatedKey'],
      ['BatchWriteItem', '25 puts per call, UnprocessedItems retried'],
    ] as const
  ).map(([op, params]): AwsOperation => ({
    service: 'DynamoDB', operation: op, who: 'bot', caller: `app/src/aws/store.ts, cost-store.ts, dynamo-build-claims.ts${op === 'PutItem' ? ', wake-claims.ts' : ''}${op === 'Query' || op === 'UpdateItem' ? ', delivery-inbox.ts' : ''}`,
    params, iam: [{ actions: [`dynamodb:${op}`], resource: TABLE }],
    awsNotMoto: op === 'BatchWriteItem' ? 'Two requests for one key in a batch is a ValidationException; throttled items come back unprocessed.' : '—',
    source: ref.dynamodb(op), test: op === 'BatchWriteItem' ? 'test/aws/cost-store.test.ts' : 'test/aws/store.test.ts',
  })),
  {
    service: 'DynamoDB', operation: 'TransactWriteItems', who: 'bot', caller: 'app/src/aws/cost-store.ts',
    params: 'Put (conditional) + Put, or Update (conditional) + Delete',
    iam: [{ actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], resource: TABLE }],
    awsNotMoto: 'No IAM action of its own: each item needs its write action. A failed condition is TransactionCanceledException with CancellationReasons.',
    source: ref.dynamodb('TransactWriteItems'), test: 'test/aws/cost-store.test.ts',
  },
];

/** Set-up calls of local mode and tests: the CDK stack makes these resources in an account. */
const localOps: AwsOperation[] = (
  [
    ['DynamoDB', 'DescribeTable', 'app/src/aws/store.ts', ref.dynamodb('DescribeTable')],
    ['DynamoDB', 'CreateTable', 'app/src/aws/store.ts', ref.dynamodb('CreateTable')],
    ['DynamoDB', 'UpdateTimeToLive', 'app/src/aws/store.ts', ref.dynamodb('UpdateTimeToLive')],
    ['EC2', 'DescribeVpcs', LOCAL_FILE, ref.ec2('DescribeVpcs')],
    ['EC2', 'DescribeSubnets', LOCAL_FILE, ref.ec2('DescribeSubnets')],
    ['EC2', 'DescribeSecurityGroups', LOCAL_FILE, ref.ec2('DescribeSecurityGroups')],
    ['EC2', 'CreateSecurityGroup', LOCAL_FILE, ref.ec2('CreateSecurityGroup')],
    ['ECR', 'DescribeRepositories', LOCAL_FILE, ref.ecr('DescribeRepositories')],
    ['ECR', 'CreateRepository', LOCAL_FILE, ref.ecr('CreateRepository')],
    ['ECR', 'PutLifecyclePolicy', ECR_FILE, ref.ecr('PutLifecyclePolicy')],
    ['ECS', 'DescribeClusters', LOCAL_FILE, ref.ecs('DescribeClusters')],
    ['ECS', 'CreateCluster', LOCAL_FILE, ref.ecs('CreateCluster')],
    ['SQS', 'CreateQueue', LOCAL_FILE, ref.sqs('CreateQueue')],
    ['SQS', 'GetQueueAttributes', LOCAL_FILE, ref.sqs('GetQueueAttributes')],
    ['ELBv2', 'DescribeLoadBalancers', LOCAL_FILE, ref.elb('DescribeLoadBalancers')],
    ['ELBv2', 'CreateLoadBalancer', LOCAL_FILE, ref.elb('CreateLoadBalancer')],
    ['ELBv2', 'DescribeListeners', LOCAL_FILE, ref.elb('DescribeListeners')],
    ['ELBv2', 'CreateListener', LOCAL_FILE, ref.elb('CreateListener')],
    ['Scheduler', 'GetScheduleGroup', SCHEDULER_FILE, ref.scheduler('GetScheduleGroup')],
    ['Scheduler', 'CreateScheduleGroup', `${SCHEDULER_FILE}, ${LOCAL_FILE}`, ref.scheduler('CreateScheduleGroup')],
    ['CloudWatch Logs', 'CreateLogGroup', LOCAL_FILE, ref.logs('CreateLogGroup')],
  ] as const
).map(([service, operation, caller, source]) => ({
  service, operation, who: 'local', caller, params: 'creates or finds what the CDK stack would', iam: [],
  awsNotMoto: '—', source, test: 'test/aws/shared-infra.test.ts, test/e2e/local-mode.test.ts',
}));

/** Read-only calls of `envbot doctor` and the live smoke test, made with the operator's credentials. */
const operatorOps: AwsOperation[] = (
  [
    ['STS', 'GetCallerIdentity', 'app/src/aws/sts.ts', ref.sts('GetCallerIdentity'), 'sts:GetCallerIdentity'],
    ['IAM', 'SimulatePrincipalPolicy', 'app/src/aws/iam.ts', ref.iam('SimulatePrincipalPolicy'), 'iam:SimulatePrincipalPolicy'],
    ['IAM', 'GetRole', 'app/src/aws/iam.ts', ref.iam('GetRole'), 'iam:GetRole'],
    ['ECS', 'DescribeClusters', DOCTOR_FILE, ref.ecs('DescribeClusters'), 'ecs:DescribeClusters'],
    ['ELBv2', 'DescribeRules', DOCTOR_FILE, ref.elb('DescribeRules'), 'elasticloadbalancing:DescribeRules'],
    ['Scheduler', 'GetScheduleGroup', DOCTOR_FILE, ref.scheduler('GetScheduleGroup'), 'scheduler:GetScheduleGroup'],
    ['SQS', 'GetQueueAttributes', DOCTOR_FILE, ref.sqs('GetQueueAttributes'), 'sqs:GetQueueAttributes'],
    ['SQS', 'GetQueueUrl', DOCTOR_FILE, ref.sqs('GetQueueUrl'), 'sqs:GetQueueUrl'],
    ['ECR', 'GetLifecyclePolicy', DOCTOR_FILE, ref.ecr('GetLifecyclePolicy'), 'ecr:GetLifecyclePolicy'],
    ['CodeBuild', 'BatchGetProjects', DOCTOR_FILE, ref.codebuild('BatchGetProjects'), 'codebuild:BatchGetProjects'],
    ['CodeBuild', 'ListSourceCredentials', DOCTOR_FILE, ref.codebuild('ListSourceCredentials'), 'codebuild:ListSourceCredentials'],
    ['SSM', 'GetParametersByPath', DOCTOR_FILE, ref.ssm('GetParametersByPath'), 'ssm:GetParametersByPath'],
  ] as const
).map(([service, operation, caller, source, action]) => ({
  service, operation, who: 'operator', caller, params: 'read-only check', iam: [{ actions: [action], resource: '*' }],
  awsNotMoto: operation === 'SimulatePrincipalPolicy' || operation === 'ListSourceCredentials' ? 'Not in moto: tests inject the answer.' : '—',
  source, test: 'test/aws/doctor.test.ts',
}));

export const AWS_OPERATIONS: readonly AwsOperation[] = [...ecsOps, ...elbOps, ...ssmOps, ...schedulerOps, ...buildOps, ...stateOps, ...localOps, ...operatorOps];

/** Every IAM action the bot's own role needs, each with the resources and condition context to check. */
export function botIamNeeds(ops: readonly AwsOperation[] = AWS_OPERATIONS): IamNeed[] {
  return ops.filter((o) => o.who === 'bot').flatMap((o) => o.iam);
}
