import { layerPaths, mergeLayers, toContainerConfig } from '../../environments/config-layers.js';
import { buildTaskDefinition, familyFor, fingerprintOf } from '../task-definition.js';
import { needs, type Step, type StepDeps, type UpState } from './step.js';

/** The task definition for image, size, profile and config; registered only when it differs from the latest. */
export const taskDefinition: Step<UpState> = {
  name: 'task-definition',
  async run(d, s) {
    const { config } = d;
    const wanted = buildTaskDefinition({
      env: s.name,
      image: s.record.image!,
      size: s.record.size,
      profile: s.profile,
      ...(await readConfig(d, s)),
      ...(config.executionRoleArn && { executionRoleArn: config.executionRoleArn }),
      ...(config.taskRoleArn && { taskRoleArn: config.taskRoleArn }),
      logGroup: config.logGroup,
      region: config.aws.region,
      tags: s.tags,
    });
    const latest = await d.ecs.latestTaskDefinition(familyFor(s.name));
    s.taskDefinitionArn =
      latest && fingerprintOf(latest) === fingerprintOf(wanted) ? latest.arn : await d.ecs.registerTaskDefinition(wanted);
  },
};

async function readConfig(d: StepDeps, s: UpState) {
  const paths = layerPaths(d.config.ssmPrefix, s.record.profile, s.name);
  const [base, profile, env] = await Promise.all([d.params.readLayer(paths.base), d.params.readLayer(paths.profile), d.params.readLayer(paths.env)]);
  return toContainerConfig(mergeLayers({ base, profile, env }));
}
