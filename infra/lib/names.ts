/**
 * Physical names the bot relies on. They match the bot's defaults (app/src/config.ts) and naming
 * rules (services `envbot-<env>`, target groups `eb-<env>`, parameters under `/envbot`), so the
 * IAM policies can be scoped by name; test/infra/names.test.ts checks they stay in step.
 */
export const NAMES = {
  cluster: 'envbot',
  repository: 'envbot-apps',
  buildProject: 'envbot-build',
  scheduleGroup: 'envbot',
  /** ECS services and task definition families of environments. */
  environmentPrefix: 'envbot-',
  targetGroupPrefix: 'eb-',
  ssmPrefix: '/envbot',
  environmentsLogGroup: '/envbot/environments',
  botLogGroup: '/envbot/bot',
  buildsLogGroup: '/envbot/builds',
  flowLogGroup: '/envbot/vpc-flow-logs',
  eventsQueue: 'envbot-task-events',
  eventsDeadLetterQueue: 'envbot-task-events-dlq',
  /** Scheduler's dead-letter queue: every failed stop/start lands here and the bot reports it. */
  scheduleFailuresQueue: 'envbot-schedule-failures',
  /** The bot answers Slack and GitHub at https://envbot.<domain> (a reserved environment name). */
  botHost: 'envbot',
  botPort: 3000,
} as const;

/**
 * Listener rule priorities of the stack's own rules. The bot claims priorities from 1 upwards (one
 * per environment, at most ~100 per ALB), so the top of the range never collides with it.
 */
export const RULE_PRIORITY = { dashboard: 49_990, bot: 50_000 } as const;
