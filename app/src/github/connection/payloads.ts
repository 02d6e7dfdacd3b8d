import { z } from 'zod';

/**
 * The parts of GitHub's webhook and REST payloads envbot reads, checked at the door: a payload
 * missing one of them is "malformed" and answered 400 before anything happens. Everything else in
 * the payload is allowed and ignored (GitHub adds fields over time).
 */

const user = z.object({ login: z.string().min(1), type: z.string().optional() });

export const repositorySchema = z.object({
  full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
});

/** A pull request as both webhooks and `GET /repos/{o}/{r}/pulls/{n}` describe it. */
export const pullSchema = z.object({
  number: z.number().int().positive(),
  state: z.string(),
  draft: z.boolean().optional(),
  merged: z.boolean().nullable().optional(),
  user,
  labels: z.array(z.object({ name: z.string() })).optional(),
  head: z.object({
    ref: z.string().min(1),
    sha: z.string().regex(/^[0-9a-f]{40}$/),
    // null when the fork was deleted.
    repo: z.object({ full_name: z.string() }).nullable(),
  }),
  base: z.object({ ref: z.string(), repo: z.object({ full_name: z.string() }) }),
});

export const issueCommentSchema = z.object({
  action: z.string(),
  issue: z.object({
    number: z.number().int().positive(),
    // Present (an object) only when the issue is a pull request.
    pull_request: z.object({}).passthrough().nullable().optional(),
  }),
  comment: z.object({ id: z.number().int().positive(), body: z.string().nullable(), user }),
  repository: repositorySchema,
  sender: user,
});

export const pullRequestEventSchema = z.object({
  action: z.string(),
  pull_request: pullSchema,
  label: z.object({ name: z.string() }).optional(),
  repository: repositorySchema,
  sender: user,
});

export const pushSchema = z.object({
  ref: z.string(),
  after: z.string(),
  deleted: z.boolean(),
  repository: repositorySchema,
  sender: user.optional(),
});

export const deleteSchema = z.object({
  ref: z.string().min(1),
  ref_type: z.string(),
  repository: repositorySchema,
  sender: user.optional(),
});

/** What envbot needs to know about a pull request. */
export interface PullInfo {
  number: number;
  headRef: string;
  headSha: string;
  /** The head lives in another repository (a fork), or its repository was deleted. */
  fork: boolean;
  draft: boolean;
  open: boolean;
  merged: boolean;
  labels: string[];
  author: string;
}

export function pullInfoFrom(raw: z.infer<typeof pullSchema>): PullInfo {
  const headRepo = raw.head.repo?.full_name.toLowerCase();
  return {
    number: raw.number,
    headRef: raw.head.ref,
    headSha: raw.head.sha,
    fork: headRepo === undefined || headRepo !== raw.base.repo.full_name.toLowerCase(),
    draft: raw.draft ?? false,
    open: raw.state === 'open',
    merged: raw.merged ?? false,
    labels: (raw.labels ?? []).map((l) => l.name),
    author: raw.user.login,
  };
}

/** "`issue.number`: expected number" — the first problem, for the 400 answer. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid payload';
  const path = issue.path.join('.') || '(root)';
  return `${path}: ${issue.message}`;
}
