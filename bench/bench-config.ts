import { loadConfig, type Config } from '../app/src/config.js';
import type { SharedInfra } from '../app/src/local/shared-infra.js';

/** The bot's config for the emulator's shared infrastructure, as the CDK stack would set it. */
export function benchConfig(endpoint: string, infra: SharedInfra, prefix: string, extra: Record<string, string> = {}): Config {
  return loadConfig({
    ENVBOT_MODE: 'aws',
    AWS_ENDPOINT_URL: endpoint,
    ENVBOT_DOMAIN: 'envs.example.com',
    ENVBOT_CLUSTER: infra.cluster,
    ENVBOT_LISTENER_ARN: infra.listenerArn,
    ENVBOT_VPC_ID: infra.vpcId,
    ENVBOT_SUBNETS: infra.subnets.join(','),
    ENVBOT_SECURITY_GROUPS: infra.securityGroups.join(','),
    ENVBOT_TABLE: infra.table,
    ENVBOT_EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/envbot-execution',
    ENVBOT_SSM_PREFIX: `/${prefix}`,
    ENVBOT_DEFAULT_IMAGE: 'public.ecr.aws/nginx/nginx:latest',
    ...extra,
  });
}
