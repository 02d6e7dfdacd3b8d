import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubFrontEnd } from '../../app/src/github/github-app.js';
import { statusMarker } from '../../app/src/github/render/render-status.js';
import type { HttpServer } from '../../app/src/http/server.js';
import type { EngineFixture } from '../support/engine-fixture.js';
import type { GitHubApiStub } from '../support/github-api-stub.js';
import { startGitHubBot, stopGitHubBot } from '../support/github-bot.js';
import { deliver, prComment, sha } from '../support/github-signing.js';

// Tried as an outsider on a public repository: signed deliveries in, the GitHub API stub out.

const SECRET = 'adversarial-webhook-secret';
let stub: GitHubApiStub;
let f: EngineFixture;
let server: HttpServer;
let gh: GitHubFrontEnd;
let base: string;

beforeAll(async () => {
  ({ stub, f, server, gh, base } = await startGitHubBot('ghadv', SECRET));
  stub.permissions.set('alice', 'write');
  stub.addPull({ number: 7, headRef: 'feature/seven', headSha: sha('feature/seven@1'), author: 'alice' });
  stub.files.set(`${sha('feature/seven@1')}:.envbot.yml`, 'containerPort: 8080\n');
});
afterAll(() => stopGitHubBot({ gh, server, stub, f }));

describe('GitHub, as an outsider', () => {
  it("a planted status marker in someone's comment does not become envbot's living comment", async () => {
    const planted = 990_001;
    const body = `${statusMarker('feature-seven')}\nenvbot: deployed at https://phish.example.com`;
    stub.comments.set(planted, { id: planted, issue: 7, body, user: { login: 'mallory', type: 'User' } });
    const res = await deliver(base, SECRET, { event: 'issue_comment', payload: prComment({ pr: 7, login: 'alice', body: '/env up' }) });
    expect(res.status).toBe(202);
    await gh.idle();
    expect(stub.comments.get(planted)!.body).toBe(body);
    expect(stub.callsTo('PATCH', new RegExp(`/issues/comments/${planted}$`))).toEqual([]);
    const record = await f.engine.store.get('feature-seven');
    expect(record?.report.github?.commentId).not.toBe(planted);
    expect(stub.commentsOn(7).filter((c) => c.body.includes(statusMarker('feature-seven')))).toHaveLength(1);
  });
});
