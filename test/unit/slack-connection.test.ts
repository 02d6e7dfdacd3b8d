import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ActorResolver } from '../../app/src/slack/access/actor-resolver.js';
import { GroupMembership, isUserGroupId } from '../../app/src/slack/access/group-membership.js';
import { ReplayGuard } from '../../app/src/slack/connection/replay-guard.js';
import { checkSignature } from '../../app/src/slack/connection/signature.js';
import { signatureFor } from '../support/slack-signing.js';

const SECRET = 'unit-signing-secret';
const NOW_MS = 1_700_000_000_000;
const TS = String(NOW_MS / 1000);
const log = pino({ level: 'silent' });

describe('request signature (v0 HMAC-SHA256 over v0:ts:body)', () => {
  const body = 'command=%2Fenv&text=up+x';
  const signed = { rawBody: body, timestamp: TS, signature: signatureFor(SECRET, TS, body) };

  it('accepts a correct signature within 5 minutes', () => {
    expect(checkSignature(signed, SECRET, NOW_MS)).toEqual({ ok: true, timestamp: Number(TS), hash: signed.signature.slice(3) });
    expect(checkSignature(signed, SECRET, NOW_MS + 299_000).ok).toBe(true);
  });

  it.each([
    ['a changed body', { ...signed, rawBody: `${body}&x=1` }, NOW_MS, 'signature mismatch'],
    ['another secret', { ...signed, signature: signatureFor('other-secret', TS, body) }, NOW_MS, 'signature mismatch'],
    ['a stale timestamp', signed, NOW_MS + 301_000, 'timestamp is more than 5 minutes off'],
    ['a timestamp from the future', signed, NOW_MS - 301_000, 'timestamp is more than 5 minutes off'],
    ['no signature', { ...signed, signature: undefined }, NOW_MS, 'missing x-slack-signature or x-slack-request-timestamp'],
    ['no timestamp', { ...signed, timestamp: undefined }, NOW_MS, 'missing x-slack-signature or x-slack-request-timestamp'],
    ['a non-numeric timestamp', { ...signed, timestamp: '1e9' }, NOW_MS, 'x-slack-request-timestamp is not a number'],
    ['another version', { ...signed, signature: signed.signature.replace('v0=', 'v1=') }, NOW_MS, 'malformed signature'],
    ['a short hash', { ...signed, signature: 'v0=abcd' }, NOW_MS, 'malformed signature'],
    ['a valid hash with a suffix', { ...signed, signature: `${signed.signature}=anything` }, NOW_MS, 'malformed signature'],
    ['a valid hash in upper case', { ...signed, signature: `v0=${signed.signature.slice(3).toUpperCase()}` }, NOW_MS, 'malformed signature'],
    ['a valid hash with trailing space', { ...signed, signature: `${signed.signature} ` }, NOW_MS, 'malformed signature'],
  ])('refuses %s', (_what, req, now, reason) => {
    expect(checkSignature(req, SECRET, now)).toEqual({ ok: false, reason });
  });
});

/** A store port that answers markOnce like DynamoDB would, or slowly, or not at all. */
function markStore(behaviour: 'ok' | 'hang' | 'fail', seen = new Set<string>()) {
  return {
    seen,
    markOnce: async (kind: string, id: string) => {
      if (behaviour === 'hang') return new Promise<boolean>(() => {});
      if (behaviour === 'fail') throw new Error('DynamoDB unreachable');
      const key = `${kind}#${id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
  };
}

describe('replay guard', () => {
  it('says yes once, then no', async () => {
    const guard = new ReplayGuard({ store: markStore('ok') });
    const key = ReplayGuard.keyOf('v0=abc', TS);
    expect(await guard.firstTime(key)).toBe(true);
    expect(await guard.firstTime(key)).toBe(false);
    expect(await guard.firstTime(ReplayGuard.keyOf('v0=abd', TS))).toBe(true);
  });

  it('refuses a request another replica already handled (shared store)', async () => {
    const shared = new Set<string>();
    const key = ReplayGuard.keyOf('v0=abc', TS);
    expect(await new ReplayGuard({ store: markStore('ok', shared) }).firstTime(key)).toBe(true);
    expect(await new ReplayGuard({ store: markStore('ok', shared) }).firstTime(key)).toBe(false);
  });

  it('does not wait past its budget for a slow store, and still refuses replays from memory', async () => {
    const problems: unknown[] = [];
    const guard = new ReplayGuard({ store: markStore('hang'), budgetMs: 20, onStoreProblem: (e) => problems.push(e) });
    const key = ReplayGuard.keyOf('v0=abc', TS);
    expect(await guard.firstTime(key)).toBe(true);
    expect(await guard.firstTime(key)).toBe(false);
    expect(problems).toHaveLength(1);
    expect(String(problems[0])).toContain('did not answer within 20 ms');
  });

  it('falls back to memory when the store fails', async () => {
    const problems: unknown[] = [];
    const guard = new ReplayGuard({ store: markStore('fail'), onStoreProblem: (e) => problems.push(e) });
    const key = ReplayGuard.keyOf('v0=abc', TS);
    expect(await guard.firstTime(key)).toBe(true);
    expect(await guard.firstTime(key)).toBe(false);
    expect(String(problems[0])).toContain('DynamoDB unreachable');
  });

  it('forgets keys after 10 minutes (signatures are refused after 5 anyway)', async () => {
    let now = NOW_MS;
    const guard = new ReplayGuard({ store: markStore('fail'), nowMs: () => now });
    const key = ReplayGuard.keyOf('v0=abc', TS);
    await guard.firstTime(key);
    now += 601_000;
    expect(await guard.firstTime(key)).toBe(true);
  });
});

describe('user groups on the allowlist', () => {
  function groupsClient(members: Record<string, string[]>, calls: string[], fail = false) {
    return {
      usergroups: {
        users: {
          list: async ({ usergroup }: { usergroup: string }) => {
            calls.push(usergroup);
            if (fail) throw new Error('ratelimited');
            return { ok: true, users: members[usergroup] ?? [] };
          },
        },
      },
    } as unknown as ConstructorParameters<typeof GroupMembership>[0];
  }
  const policy = (allowedUsers: string[], admins: string[] = []) => ({ admins, allowedUsers, maxPerUser: 3, maxTotal: 50 });

  it('recognises group ids', () => {
    expect(isUserGroupId('S0123ABC')).toBe(true);
    expect(isUserGroupId('U0123ABC')).toBe(false);
  });

  it('adds the groups a user is in, and caches members briefly', async () => {
    const calls: string[] = [];
    let now = 0;
    const groups = new GroupMembership(groupsClient({ S0DEVS: ['U1'], S0OPS: ['U9'] }, calls), log, 60_000, () => now);
    const actors = new ActorResolver(policy(['slack:S0DEVS', 'slack:S0OPS', 'slack:UDIRECT']), groups);
    expect(await actors.resolve('U1', 'alice')).toEqual({ id: 'slack:U1', source: 'slack', name: 'alice', groups: ['slack:S0DEVS'] });
    expect(await actors.resolve('U2')).toEqual({ id: 'slack:U2', source: 'slack', groups: [] });
    expect(calls).toEqual(['S0DEVS', 'S0OPS']);
    now += 61_000;
    await actors.resolve('U1');
    expect(calls).toEqual(['S0DEVS', 'S0OPS', 'S0DEVS', 'S0OPS']);
  });

  it('asks Slack only when groups can matter', async () => {
    const calls: string[] = [];
    const groups = new GroupMembership(groupsClient({}, calls), log);
    expect(await new ActorResolver(policy([]), groups).resolve('U1')).toEqual({ id: 'slack:U1', source: 'slack' });
    expect(await new ActorResolver(policy(['slack:U1', 'slack:S0DEVS']), groups).resolve('U1')).toEqual({ id: 'slack:U1', source: 'slack' });
    expect(calls).toEqual([]);
  });

  it('fails closed when Slack cannot be asked, and retries sooner than the full TTL', async () => {
    const calls: string[] = [];
    let now = 0;
    const groups = new GroupMembership(groupsClient({ S0DEVS: ['U1'] }, calls, true), log, 300_000, () => now);
    const actors = new ActorResolver(policy(['slack:S0DEVS']), groups);
    expect(await actors.resolve('U1')).toEqual({ id: 'slack:U1', source: 'slack', groups: [] });
    now += 31_000;
    await actors.resolve('U1');
    expect(calls).toEqual(['S0DEVS', 'S0DEVS']);
  });
});
