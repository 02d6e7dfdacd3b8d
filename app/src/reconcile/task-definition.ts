import { createHash } from 'node:crypto';
import type { TaskDefinitionSpec } from '../aws/ecs-types.js';
import type { Profile } from '../environments/profiles.js';
import { SIZES, type SizeName } from '../environments/sizes.js';
import type { Tag } from '../environments/tags.js';
import { familyFor } from '../environments/resource-names.js';

export const CONTAINER_NAME = 'app';
export const FINGERPRINT_TAG = 'envbot:fingerprint';

export interface TaskDefinitionInput {
  env: string;
  image: string;
  size: SizeName;
  profile: Profile;
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  executionRoleArn?: string;
  taskRoleArn?: string;
  logGroup: string;
  region: string;
  tags: Tag[];
}

export { familyFor };

/**
 * The task definition for an environment. A fingerprint of everything that matters is stored as a
 * tag, so an unchanged environment never registers a new revision (no churn on `start` or resync).
 */
export function buildTaskDefinition(input: TaskDefinitionInput): TaskDefinitionSpec {
  const { cpu, memory } = SIZES[input.size];
  const body: TaskDefinitionSpec = {
    family: familyFor(input.env),
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: String(cpu),
    memory: String(memory),
    runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
    ...(input.executionRoleArn && { executionRoleArn: input.executionRoleArn }),
    ...(input.taskRoleArn && { taskRoleArn: input.taskRoleArn }),
    containerDefinitions: [
      {
        name: CONTAINER_NAME,
        image: input.image,
        essential: true,
        portMappings: [{ containerPort: input.profile.containerPort, protocol: 'tcp' }],
        environment: input.environment,
        secrets: input.secrets,
        // Fargate Spot gives a 2-minute warning; let the app drain within it.
        stopTimeout: 120,
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': input.logGroup, 'awslogs-region': input.region, 'awslogs-stream-prefix': input.env },
        },
      },
    ],
  };
  const fingerprint = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32);
  return { ...body, tags: [...input.tags, { key: FINGERPRINT_TAG, value: fingerprint }].map((t) => ({ key: t.key, value: t.value })) };
}

export function fingerprintOf(def: { tags?: { key?: string; value?: string }[] }): string | undefined {
  return def.tags?.find((t) => t.key === FINGERPRINT_TAG)?.value;
}
