import type { EngineOptions } from '../../app/src/engine/engine.js';
import { createGitHubFrontEnd, type GitHubFrontEnd, type GitHubFrontEndOptions } from '../../app/src/github/github-app.js';
import { createOctokit } from '../../app/src/github/connection/octokit.js';
import { HttpServer } from '../../app/src/http/server.js';
import { engineFixture, silentLog, type EngineFixture } from './engine-fixture.js';
import { GitHubApiStub, STUB_REPO } from './github-api-stub.js';

export interface GitHubBot {
  stub: GitHubApiStub;
  f: EngineFixture;
  server: HttpServer;
  gh: GitHubFrontEnd;
  base: string;
}

/** The GitHub front end on a real HTTP server, its API a recording stub, its engine on moto. */
export async function startGitHubBot(
  label: string,
  secret: string,
  engine: Partial<EngineOptions> = {},
  env: Record<string, string> = {},
  front: Pick<GitHubFrontEndOptions, 'inbox'> = {},
): Promise<GitHubBot> {
  const stub = await GitHubApiStub.start();
  const f = await engineFixture(label, {
    ...engine,
    env: { GITHUB_WEBHOOK_SECRET: secret, GITHUB_TOKEN: 'ghp_test', GITHUB_API_URL: stub.url, GITHUB_REPOSITORY: STUB_REPO, ...env },
  });
  const server = new HttpServer(silentLog);
  // No pacing and no retry waits: the stub answers at once.
  const octokit = createOctokit(f.config.github, silentLog, { throttle: false, retryAfterBaseMs: 0 });
  const gh = createGitHubFrontEnd({ engine: f.engine, config: f.config, log: silentLog, server, octokit, ...front });
  const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  return { stub, f, server, gh, base };
}

export async function stopGitHubBot(bot: Partial<GitHubBot>): Promise<void> {
  await bot.gh?.idle();
  await bot.gh?.stop();
  await bot.server?.close();
  await bot.stub?.close();
  await bot.f?.engine.stop();
}
