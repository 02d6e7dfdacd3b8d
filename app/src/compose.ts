import type { Logger } from 'pino';
import { loadConfig, profileOfRecord, type Config } from './config.js';
import type { AwsClients } from './aws/clients.js';
import { startBackgroundJobs } from './background.js';
import { GitHubCommitResolver } from './github/connection/commit-resolver.js';
import type { InboxTuning } from './github/connection/inbox.js';
import { createOctokit, hasGitHubCredentials } from './github/connection/octokit.js';
import { registerApi } from './http/api.js';
import { healthHandler } from './http/health.js';
import { wireWakeDoor } from './wire-wake.js';
import { HttpServer } from './http/server.js';
import { awsRuntime, startLocalRuntime, type Runtime } from './local/local-runtime.js';
import { createLogger } from './logger.js';
import { wireFrontEnds } from './wire-front-ends.js';
import { BuildLogs } from './aws/build-logs.js';
import { CodeBuildBuilds } from './aws/codebuild.js';
import { DynamoBuildClaims } from './aws/dynamo-build-claims.js';
import { EcrImages } from './aws/ecr.js';
import { SchedulerAdapter } from './aws/scheduler.js';
import { BuildImageSource } from './builds/build-image-source.js';
import type { CommitResolver } from './builds/commit-resolver.js';
import { ImageService } from './builds/image-service.js';
import { DynamoEnvironmentStore } from './aws/store.js';
import { DynamoCostStore } from './aws/cost-store.js';
import { CostService } from './cost/cost-service.js';
import { Engine } from './engine/engine.js';
import type { EnvironmentStore } from './environments/store-port.js';
import type { ImageSource } from './reconcile/ports.js';
import { SchedulerIntegration } from './schedules/scheduler-integration.js';

/**
 * The composition root: the one place that builds envbot, in the order data flows through it —
 * config → AWS clients (emulator or AWS) → store → adapters (GitHub, builds, schedules, cost) →
 * reconciler and queue (the engine) → commands (the engine's context) → front ends → background
 * jobs. Everything else receives what it needs from here; nothing else constructs an adapter.
 */

/** Test seams; production uses the defaults. */
export interface StartOptions {
  inbox?: InboxTuning;
}

export async function composeBot(env: NodeJS.ProcessEnv, opts: StartOptions) {
  // 1. config, 2. AWS clients (the local runtime starts the emulator and fills in its resources)
  const baseConfig = loadConfig(env);
  const log = createLogger(baseConfig.logLevel);
  const runtime: Runtime = baseConfig.mode === 'local' ? await startLocalRuntime(baseConfig, log) : awsRuntime(baseConfig);
  const config = runtime.config;
  // 3. store, 4. adapters. GitHub first: the engine's builds need its commit resolver, and the front end reuses the client.
  const store = new DynamoEnvironmentStore(runtime.clients.doc, config.table);
  const octokit = hasGitHubCredentials(config.github) ? createOctokit(config.github, log) : undefined;
  const commits = octokit && new GitHubCommitResolver(octokit, store, config.github.repository);
  // 5. reconciler and queue, 6. commands: the engine holds both; cost, builds and schedules plug into it.
  const { engine, cost, builds } = composeEngine({ config, clients: runtime.clients, log, store, ...(commits && { commits }) });
  // 7. front ends: the server, its health and operator API, then the doors.
  const server = new HttpServer(log);
  // First: requests for <name>.<domain> are the waking door's (or, locally, the emulated page's).
  wireWakeDoor({ engine, config, clients: runtime.clients, log, server });
  server.route('GET', '/healthz', healthHandler(engine.store, runtime.clients, config.mode));
  // The operator API asks the doors for GitHub failures only once requests arrive.
  registerApi(server, { engine, mode: config.mode, ...(config.apiToken && { token: config.apiToken }), githubFailures: () => frontEnds.githubFailures?.() ?? Promise.resolve(undefined) });
  const frontEnds = await wireFrontEnds({ engine, config, log, server, runtime, env, cost, ...(octokit && { octokit }), ...(opts.inbox && { inbox: opts.inbox }) });
  // 8. background jobs: task events, schedule failures, warnings, the reaper, image pruning.
  const background = startBackgroundJobs({ engine, config, clients: runtime.clients, log, taskEventHooks: [cost.onTaskEvent], ...(builds && { builds }) });
  return { config, log, runtime, engine, server, frontEnds, background };
}

export { profileOfRecord };

export interface Composition {
  engine: Engine;
  store: EnvironmentStore;
  cost: CostService;
  scheduler?: SchedulerIntegration;
  builds?: BuildImageSource;
}

/**
 * Builds the engine with the optional modules the configuration enables: schedules need a
 * scheduler role; builds need a CodeBuild project and a commit resolver; cost needs the ledger.
 */
export function composeEngine(o: {
  config: Config;
  clients: AwsClients;
  log: Logger;
  store?: EnvironmentStore;
  images?: ImageSource;
  /** Branch → head commit (GitHub); with it, images are built per commit by CodeBuild. */
  commits?: CommitResolver;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}): Composition {
  const store = o.store ?? new DynamoEnvironmentStore(o.clients.doc, o.config.table);
  const scheduler = o.config.schedulerRoleArn
    ? new SchedulerIntegration(new SchedulerAdapter(o.clients.scheduler, o.config.scheduleGroup), o.config, profileOfRecord(o.config), o.now)
    : undefined;
  const cost = new CostService(new DynamoCostStore(o.clients.doc, o.config.table), store, o.config, profileOfRecord(o.config));
  const builds = buildImages(o);
  const images = o.images ?? builds;
  if (!scheduler) o.log.warn('ENVBOT_SCHEDULER_ROLE_ARN is not set: environments will not stop at night');
  const engine = new Engine({
    config: o.config,
    clients: o.clients,
    log: o.log,
    store,
    ...(scheduler && { schedules: scheduler, extendPort: scheduler }),
    ...(images && { images }),
    ...(builds && { pinnedImages: builds }),
    costPort: cost,
    ...(o.now && { now: o.now }),
    ...(o.sleep && { sleep: o.sleep }),
  });
  return { engine, store, cost, ...(scheduler && { scheduler }), ...(builds && { builds }) };
}

/** Builds need a commit resolver (GitHub) and the account id (for the repository URI). */
function buildImages(o: {
  config: Config;
  clients: AwsClients;
  log: Logger;
  commits?: CommitResolver;
  sleep?: (ms: number) => Promise<void>;
}): BuildImageSource | undefined {
  const { config, clients } = o;
  if (!o.commits) return undefined;
  if (!config.aws.accountId) {
    o.log.warn('ENVBOT_ACCOUNT_ID is not set: builds are off, environments use --image or ENVBOT_DEFAULT_IMAGE');
    return undefined;
  }
  const repositoryUri = `${config.aws.accountId}.dkr.ecr.${config.aws.region}.amazonaws.com/${config.ecrRepository}`;
  if (!config.builds.cacheBucket || !config.builds.protectedRoleArn) {
    o.log.warn('ENVBOT_BUILD_CACHE_BUCKET or ENVBOT_PROTECTED_BUILD_ROLE_ARN is not set: protected branches build without a dependency cache');
  }
  const service = new ImageService({
    ecr: new EcrImages(clients.ecr),
    codebuild: new CodeBuildBuilds(clients.codebuild),
    logs: new BuildLogs(clients.logs),
    claims: new DynamoBuildClaims(clients.doc, config.table),
    repositoryName: config.ecrRepository,
    repositoryUri,
    projectName: config.codebuildProject,
    region: config.aws.region,
    warn: (message, err) => o.log.warn({ err }, message),
    ...(o.sleep && { sleep: o.sleep }),
    isolation: config.builds,
  });
  return new BuildImageSource(service, o.commits, config.github.repository ?? 'the repository');
}
