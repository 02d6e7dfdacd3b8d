import { ConfigError, type Config } from '../config.js';

/**
 * The dashboard's own settings. `ENVBOT_DASHBOARD` (config.dashboard.enabled) switches it; the ALB
 * ARN is read here rather than in config.ts because only the dashboard needs it.
 *
 *   ENVBOT_DASHBOARD_ALB_ARN  ARN of the load balancer whose OIDC authentication guards the dashboard
 *                             (the `signer` of every `x-amzn-oidc-data` token it accepts).
 *   ENVBOT_DASHBOARD_OIDC_ISSUER  optional: the identity provider's issuer URL; tokens from others are refused.
 */
export interface DashboardSettings {
  /** Off unless enabled in AWS; on by default in local mode (loopback only). */
  enabled: boolean;
  /** AWS mode only: who must have signed the identity header, and where its keys are published. */
  oidc?: { albArn: string; region: string; issuer?: string };
}

/** arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id> */
const ALB_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{1,32}$/;

export function readDashboardSettings(config: Config, env: NodeJS.ProcessEnv): DashboardSettings {
  const enabled = config.dashboard.enabled ?? config.mode === 'local';
  if (!enabled || config.mode === 'local') return { enabled };
  const albArn = env.ENVBOT_DASHBOARD_ALB_ARN?.trim();
  // Fail closed and loudly: an enabled dashboard without a way to check identities must not start.
  if (!albArn) {
    throw new ConfigError([
      'ENVBOT_DASHBOARD_ALB_ARN is missing: the dashboard is enabled (ENVBOT_DASHBOARD=true), so set it to the ARN of the ' +
        'load balancer that authenticates it with OIDC (CDK stack output "loadBalancerArn"), or turn the dashboard off',
    ]);
  }
  const match = ALB_ARN.exec(albArn);
  if (!match) {
    throw new ConfigError([
      `ENVBOT_DASHBOARD_ALB_ARN: "${albArn}" is not an application load balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)`,
    ]);
  }
  const issuer = env.ENVBOT_DASHBOARD_OIDC_ISSUER?.trim();
  return { enabled, oidc: { albArn, region: match[1]!, ...(issuer && { issuer }) } };
}
