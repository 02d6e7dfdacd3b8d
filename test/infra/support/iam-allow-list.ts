/**
 * The only actions an envbot IAM policy may grant on `Resource: "*"`. Each is here because the AWS
 * Service Authorization Reference lists no resource type for it: AWS cannot scope it to an ARN, so
 * `*` is not a shortcut but the only form that works. Everything else must name ARNs (or ARN
 * patterns such as `service/envbot/envbot-*`). Keep the reason next to every entry.
 */
export const ACTIONS_ALLOWED_ON_ANY_RESOURCE: Readonly<Record<string, string>> = {
  // --- Writes AWS cannot scope ---
  'ecs:RegisterTaskDefinition': 'no resource type: a task definition ARN exists only after the call',
  'ecs:DeregisterTaskDefinition': 'no resource type for task definitions in this action',
  'ecr:GetAuthorizationToken': 'a registry-wide login token, not tied to a repository (pulls/pushes are scoped)',

  // --- Reads AWS cannot scope ---
  'ecs:DescribeTaskDefinition': 'no resource type',
  'ecs:ListTaskDefinitions': 'no resource type',
  'ecs:ListServices': 'no resource type; the policy adds an ecs:cluster condition for the envbot cluster',
  'ecs:ListTasks': 'no resource type for a cluster-wide listing; the policy adds an ecs:cluster condition',
  'ecs:ListClusters': 'no resource type; the bot health check (GET /healthz) calls it',
  'elasticloadbalancing:DescribeLoadBalancers': 'Describe* calls of ELBv2 have no resource types',
  'elasticloadbalancing:DescribeListeners': 'no resource type',
  'elasticloadbalancing:DescribeRules': 'no resource type',
  'elasticloadbalancing:DescribeTargetGroups': 'no resource type',
  'elasticloadbalancing:DescribeTargetGroupAttributes': 'no resource type',
  'elasticloadbalancing:DescribeTargetHealth': 'no resource type',
  'elasticloadbalancing:DescribeTags': 'no resource type',
  'ssm:DescribeParameters': 'no resource type (parameter values are read with scoped GetParameter*)',
  'cloudwatch:GetMetricData': 'no resource type; idle sleep reads per-target-group RequestCount',
  'scheduler:ListSchedules': 'no resource type (schedule details are read with scoped GetSchedule)',
  'tag:GetResources': 'the tagging API has no resource types; the orphan sweep finds envbot-tagged resources with it',
};
