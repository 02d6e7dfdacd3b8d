import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for the GitHub REST API: keeps just enough state (comments, reactions,
 * collaborators, pull requests, files, branches, deployments) to answer like GitHub, and records
 * every call so tests can assert exactly what the bot sent.
 */

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
  authorization?: string;
}

export interface StubComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: string };
}

export interface StubDeployment {
  id: number;
  ref: string;
  sha: string;
  environment: string;
  request: any;
  statuses: { state: string; environment_url?: string; description?: string }[];
}

export interface PullSpec {
  number: number;
  headRef: string;
  headSha: string;
  fork?: boolean;
  draft?: boolean;
  state?: 'open' | 'closed';
  merged?: boolean;
  labels?: string[];
  author?: string;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  times: number;
  headers: Record<string, string>;
  message: string;
}

interface Hold {
  method: string;
  path: RegExp;
  gate: Promise<void>;
}

export const STUB_REPO = 'Codertocat/Hello-World';
const BOT = { login: 'envbot[bot]', type: 'Bot' };
const NOT_FOUND = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' };

export class GitHubApiStub {
  readonly calls: RecordedCall[] = [];
  /** login → GitHub's `permission` (admin, write, read, none); missing = not a collaborator (404). */
  readonly permissions = new Map<string, string>();
  readonly pulls = new Map<number, any>();
  /** `${ref}:${path}` → file text. */
  readonly files = new Map<string, string>();
  readonly branches = new Map<string, string>();
  readonly comments = new Map<number, StubComment>();
  readonly reactions: { commentId: number; content: string }[] = [];
  readonly deployments = new Map<number, StubDeployment>();
  private nextId = 1000;
  private failures: Failure[] = [];
  private holds: Hold[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<GitHubApiStub> {
    let stub: GitHubApiStub | undefined;
    const server = createServer((req, res) => void stub!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stub = new GitHubApiStub(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return stub;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Forget calls (state stays), e.g. between the steps of one test. */
  clearCalls(): void {
    this.calls.length = 0;
  }

  callsTo(method: string, path: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  /** The next `times` matching calls fail with `status` (and headers, e.g. rate-limit ones). */
  fail(method: string, path: RegExp, status: number, opts: { times?: number; headers?: Record<string, string>; message?: string } = {}): void {
    this.failures.push({ method, path, status, times: opts.times ?? 1, headers: opts.headers ?? {}, message: opts.message ?? 'Stub failure' });
  }

  /** Matching calls wait until the returned function is called (proves what happens before them). */
  hold(method: string, path: RegExp): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ method, path, gate });
    return () => {
      this.holds = this.holds.filter((h) => h.gate !== gate);
      release();
    };
  }

  addPull(spec: PullSpec): void {
    const [owner, repo] = STUB_REPO.split('/') as [string, string];
    const headRepo = spec.fork ? `${spec.author ?? 'forker'}/${repo}` : STUB_REPO;
    this.pulls.set(spec.number, {
      url: `https://api.github.com/repos/${STUB_REPO}/pulls/${spec.number}`,
      number: spec.number,
      state: spec.state ?? 'open',
      draft: spec.draft ?? false,
      merged: spec.merged ?? false,
      title: `PR ${spec.number}`,
      user: { login: spec.author ?? 'Codertocat', type: 'User' },
      labels: (spec.labels ?? []).map((name) => ({ name })),
      head: { label: `${headRepo.split('/')[0]}:${spec.headRef}`, ref: spec.headRef, sha: spec.headSha, repo: { full_name: headRepo, owner: { login: headRepo.split('/')[0] } } },
      base: { label: `${owner}:master`, ref: 'master', sha: '0'.repeat(40), repo: { full_name: STUB_REPO, owner: { login: owner } } },
    });
    if (!spec.fork) this.branches.set(spec.headRef, spec.headSha);
  }

  commentsOn(issue: number, byBot = true): StubComment[] {
    return [...this.comments.values()].filter((c) => c.issue === issue && (!byBot || c.user.type === 'Bot'));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text ? JSON.parse(text) : undefined,
      ...(req.headers.authorization && { authorization: req.headers.authorization }),
    };
    this.calls.push(call);
    const hold = this.holds.find((h) => h.method === call.method && h.path.test(call.path));
    if (hold) await hold.gate;
    const failure = this.failures.find((f) => f.method === call.method && f.path.test(call.path) && f.times > 0);
    if (failure) {
      failure.times--;
      return send(res, failure.status, { message: failure.message }, failure.headers);
    }
    const [status, body] = this.route(call);
    send(res, status, body);
  }

  private route(c: RecordedCall): [number, unknown] {
    const m = (re: RegExp) => (re.exec(c.path) ?? undefined) as RegExpExecArray | undefined;
    const repo = '/repos/[^/]+/[^/]+';
    let g: RegExpExecArray | undefined;
    if (c.method === 'POST' && (g = m(/^\/app\/installations\/(\d+)\/access_tokens$/))) {
      return [201, { token: `ghs_installation${g[1]}`, expires_at: '2999-01-01T00:00:00Z', permissions: {}, repository_selection: 'all' }];
    }
    if (c.method === 'POST' && (g = m(new RegExp(`^${repo}/issues/comments/(\\d+)/reactions$`)))) {
      this.reactions.push({ commentId: Number(g[1]), content: c.body.content });
      return [201, { id: this.id(), content: c.body.content, user: BOT }];
    }
    if (c.method === 'PATCH' && (g = m(new RegExp(`^${repo}/issues/comments/(\\d+)$`)))) {
      const comment = this.comments.get(Number(g[1]));
      if (!comment) return [404, NOT_FOUND];
      comment.body = c.body.body;
      return [200, this.commentJson(comment)];
    }
    if (c.method === 'POST' && (g = m(new RegExp(`^${repo}/issues/(\\d+)/comments$`)))) {
      const comment: StubComment = { id: this.id(), issue: Number(g[1]), body: c.body.body, user: BOT };
      this.comments.set(comment.id, comment);
      return [201, this.commentJson(comment)];
    }
    if (c.method === 'GET' && (g = m(new RegExp(`^${repo}/issues/(\\d+)/comments$`)))) {
      return [200, this.commentsOn(Number(g[1]), false).map((x) => this.commentJson(x))];
    }
    if (c.method === 'GET' && (g = m(new RegExp(`^${repo}/collaborators/([^/]+)/permission$`)))) {
      const login = decodeURIComponent(g[1]!);
      const permission = this.permissions.get(login);
      if (permission === undefined) return [404, NOT_FOUND];
      return [200, { permission, role_name: permission, user: { login } }];
    }
    if (c.method === 'GET' && (g = m(new RegExp(`^${repo}/pulls/(\\d+)$`)))) {
      const pull = this.pulls.get(Number(g[1]));
      return pull ? [200, pull] : [404, NOT_FOUND];
    }
    if (c.method === 'POST' && m(new RegExp(`^${repo}/deployments$`))) {
      const d: StubDeployment = {
        id: this.id(),
        ref: c.body.ref,
        sha: /^[0-9a-f]{40}$/.test(c.body.ref) ? c.body.ref : (this.branches.get(c.body.ref) ?? '0'.repeat(40)),
        environment: c.body.environment,
        request: c.body,
        statuses: [],
      };
      this.deployments.set(d.id, d);
      return [201, { id: d.id, sha: d.sha, ref: d.ref, environment: d.environment, transient_environment: c.body.transient_environment }];
    }
    if ((g = m(new RegExp(`^${repo}/deployments/(\\d+)/statuses$`))) && c.method === 'POST') {
      const d = this.deployments.get(Number(g[1]));
      if (!d) return [404, NOT_FOUND];
      d.statuses.push({ state: c.body.state, ...(c.body.environment_url && { environment_url: c.body.environment_url }), ...(c.body.description && { description: c.body.description }) });
      return [201, { id: this.id(), state: c.body.state, environment_url: c.body.environment_url ?? '' }];
    }
    if (c.method === 'GET' && (g = m(new RegExp(`^${repo}/deployments/(\\d+)$`)))) {
      const d = this.deployments.get(Number(g[1]));
      return d ? [200, { id: d.id, sha: d.sha, ref: d.ref, environment: d.environment }] : [404, NOT_FOUND];
    }
    if (c.method === 'GET' && (g = m(new RegExp(`^${repo}/contents/(.+)$`)))) {
      const path = decodeURIComponent(g[1]!);
      const text = this.files.get(`${c.query.ref ?? 'master'}:${path}`);
      if (text === undefined) return [404, NOT_FOUND];
      const content = Buffer.from(text).toString('base64');
      return [200, { type: 'file', encoding: 'base64', path, name: path, size: Buffer.byteLength(text), sha: 'f'.repeat(40), content }];
    }
    if (c.method === 'GET' && (g = m(new RegExp(`^${repo}/branches/(.+)$`)))) {
      const name = decodeURIComponent(g[1]!);
      const sha = this.branches.get(name);
      return sha ? [200, { name, commit: { sha }, protected: false }] : [404, { message: 'Branch not found' }];
    }
    return [404, NOT_FOUND];
  }

  private commentJson(c: StubComment) {
    return { id: c.id, body: c.body, user: c.user, html_url: `https://github.com/${STUB_REPO}/pull/${c.issue}#issuecomment-${c.id}` };
  }

  private id(): number {
    return this.nextId++;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
