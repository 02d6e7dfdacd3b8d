import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';

/**
 * What GitHub sends: real example payloads from @octokit/webhooks-examples, adapted to a scenario
 * (PR number, branch, commit, who), signed with the webhook secret the way GitHub signs them
 * (HMAC-SHA256 of the raw body, `X-Hub-Signature-256: sha256=<hex>`), and POSTed over HTTP.
 */

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface Delivery {
  event: string;
  payload: unknown;
  /** Reuse to simulate a redelivery. */
  id?: string;
  /** Override the signature (null = leave the header out). */
  signature?: string | null;
  /** Send this raw body instead of JSON.stringify(payload). */
  rawBody?: string;
}

export interface DeliveryAnswer {
  status: number;
  body: any;
  id: string;
}

export async function deliver(baseUrl: string, secret: string, d: Delivery): Promise<DeliveryAnswer> {
  const id = d.id ?? randomUUID();
  const body = d.rawBody ?? JSON.stringify(d.payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/test',
    'x-github-event': d.event,
    'x-github-delivery': id,
    'x-github-hook-id': '1',
  };
  if (d.signature !== null) headers['x-hub-signature-256'] = d.signature ?? signature(secret, body);
  const res = await fetch(`${baseUrl}/github/webhooks`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, id };
}

function example(name: string, match: (e: any) => boolean): any {
  const def = examples.find((d) => d.name === name);
  const found = def?.examples.find(match);
  if (!found) throw new Error(`no ${name} example matches`);
  return structuredClone(found);
}

/** `issue_comment.created` on PR `pr` (or, with onIssue, on a plain issue). */
export function prComment(o: { pr: number; login: string; body: string; onIssue?: boolean; commentId?: number }): any {
  const p = example('issue_comment', (e) => e.action === 'created');
  p.issue.number = o.pr;
  if (o.onIssue) delete p.issue.pull_request;
  else p.issue.pull_request = { url: `https://api.github.com/repos/${p.repository.full_name}/pulls/${o.pr}` };
  p.comment.id = o.commentId ?? randomInt(1, 2 ** 31);
  p.comment.body = o.body;
  p.comment.user = { ...p.comment.user, login: o.login, type: 'User' };
  p.sender = { ...p.sender, login: o.login, type: 'User' };
  return p;
}

export interface PullEventSpec {
  pr: number;
  headRef: string;
  headSha: string;
  sender?: string;
  merged?: boolean;
  draft?: boolean;
  fork?: boolean;
  label?: string;
}

/** `pull_request.<action>` for a PR with the given head. */
export function pullRequestEvent(action: string, o: PullEventSpec): any {
  const p = example('pull_request', (e) => e.action === action);
  const pr = p.pull_request;
  p.number = o.pr;
  pr.number = o.pr;
  pr.head.ref = o.headRef;
  pr.head.sha = o.headSha;
  pr.draft = o.draft ?? false;
  pr.state = action === 'closed' ? 'closed' : 'open';
  pr.merged = o.merged ?? false;
  if (o.fork) pr.head.repo = { ...pr.head.repo, full_name: `forker/${pr.head.repo.name}`, fork: true };
  if (o.label) p.label = { ...(p.label ?? {}), name: o.label };
  if (o.sender) p.sender = { ...p.sender, login: o.sender };
  return p;
}

/** `delete` of a branch (the examples only delete tags). */
export function branchDeleted(branch: string): any {
  const p = example('delete', () => true);
  p.ref = branch;
  p.ref_type = 'branch';
  return p;
}

/** `push` of `sha` to `branch`. */
export function pushEvent(branch: string, sha: string): any {
  const p = example('push', (e) => e.ref.startsWith('refs/heads/'));
  p.ref = `refs/heads/${branch}`;
  p.after = sha;
  p.deleted = false;
  p.created = false;
  return p;
}

/** A made-up but well-formed commit SHA. */
export function sha(seed: string): string {
  return createHmac('sha1', 'sha').update(seed).digest('hex');
}
