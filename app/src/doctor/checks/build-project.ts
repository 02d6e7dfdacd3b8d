import { fail, ok, skip, type Check } from '../check.js';

/** Builds need the CodeBuild project, and GitHub source credentials to check out private repositories. */
export const buildProject: Check = {
  id: 'build-project',
  title: 'CodeBuild project exists and can read GitHub',
  async run(ctx) {
    if (ctx.mode === 'local') return skip('local mode: CodeBuild is not emulated (environments use the default image)');
    const project = await ctx.reader.buildProject(ctx.config.codebuildProject);
    if (!project) return fail(`CodeBuild project ${ctx.config.codebuildProject} does not exist`, 'deploy the stack (`npx cdk deploy`) or set ENVBOT_CODEBUILD_PROJECT');
    if (!project.sourceType.startsWith('GITHUB')) return ok(`project ${ctx.config.codebuildProject} (source ${project.sourceType})`);
    if (project.sourceAuth) return ok(`project ${ctx.config.codebuildProject} reads GitHub through ${project.sourceAuth}`);
    const servers = await ctx.reader.sourceCredentialServers();
    if (!servers.includes(project.sourceType)) {
      return fail(
        `project ${ctx.config.codebuildProject} has a ${project.sourceType} source but the account has no ${project.sourceType} source credentials in ${ctx.config.aws.region}`,
        `aws codebuild import-source-credentials --server-type ${project.sourceType} --auth-type PERSONAL_ACCESS_TOKEN --token <token with repo read access>`,
      );
    }
    return ok(`project ${ctx.config.codebuildProject} with ${project.sourceType} source credentials`);
  },
};
