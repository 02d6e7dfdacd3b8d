import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';

/**
 * The one GitHub client class: REST methods + pagination (from @octokit/rest), retries of
 * transient 5xx answers and GitHub's rate limits honoured (the official plugins).
 */
export const EnvbotOctokit = Octokit.plugin(retry, throttling);

/** The client type front ends and the composition root hold; only github/ names the library. */
export type { Octokit };

/** Knobs for tests only; production uses the defaults (GitHub's recommended pacing). */
export interface OctokitTuning {
  /** false turns off write pacing (1 write/s, 1 notifying write per 3 s) and rate-limit waits. */
  throttle?: boolean;
  /** Base of the waits between retries and after rate limits, in ms (plugins default to 1000). */
  retryAfterBaseMs?: number;
  /** Retries of a failed 5xx request (plugin default 3). */
  retries?: number;
}

/** Waiting out a primary rate limit twice is enough; after that the action fails visibly. */
const RATE_LIMIT_RETRIES = 2;

export function createOctokit(github: Config['github'], log: Logger, tuning: OctokitTuning = {}): Octokit {
  const l = log.child({ component: 'octokit' });
  const base = tuning.retryAfterBaseMs;
  return new EnvbotOctokit({
    ...authOptions(github),
    ...(github.apiUrl && { baseUrl: github.apiUrl.replace(/\/+$/, '') }),
    userAgent: 'envbot',
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (msg: string) => l.warn(msg),
      error: (msg: string) => l.error(msg),
    },
    retry: { ...(base !== undefined && { retryAfterBaseValue: base }), ...(tuning.retries !== undefined && { retries: tuning.retries }) },
    throttle:
      tuning.throttle === false
        ? { enabled: false }
        : {
            ...(base !== undefined && { retryAfterBaseValue: base }),
            onRateLimit: (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
              l.warn({ retryAfter, method: options.method, url: options.url, retryCount }, 'GitHub rate limit hit');
              return retryCount < RATE_LIMIT_RETRIES;
            },
            onSecondaryRateLimit: (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
              l.warn({ retryAfter, method: options.method, url: options.url, retryCount }, 'GitHub secondary rate limit hit');
              return retryCount < 1;
            },
          },
  });
}

/** A token wins; otherwise the bot acts as its GitHub App installation (tokens minted and refreshed). */
function authOptions(github: Config['github']): { auth: unknown; authStrategy?: typeof createAppAuth } {
  if (github.token) return { auth: github.token };
  if (github.appId && github.privateKey && github.installationId) {
    return {
      authStrategy: createAppAuth,
      auth: {
        appId: github.appId,
        // Keys passed through environment variables often arrive with literal "\n".
        privateKey: github.privateKey.replace(/\\n/g, '\n'),
        installationId: github.installationId,
      },
    };
  }
  throw new Error(
    'connecting to GitHub: no credentials — set GITHUB_TOKEN, or GITHUB_APP_ID + GITHUB_PRIVATE_KEY + GITHUB_INSTALLATION_ID for a GitHub App',
  );
}

/** True when the config has enough to talk to GitHub (main.ts decides whether to start the front end). */
export function hasGitHubCredentials(github: Config['github']): boolean {
  return Boolean(github.token || (github.appId && github.privateKey && github.installationId));
}

/** An Octokit request error's HTTP status, if it is one. */
export function httpStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}
