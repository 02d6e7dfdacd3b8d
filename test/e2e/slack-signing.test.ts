import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM, JSON_TYPE, postSigned, signatureFor, signedHeaders, SIGNING_SECRET, SlackTestBot, slashCommandBody } from '../support/slack-signing.js';

// Only requests Slack really signed, recently, and once, reach Bolt. Each refused request must
// leave everything as it was: no Slack call, no record, no audit entry.

describe('slack request authenticity over HTTP', () => {
  let bot: SlackTestBot;
  beforeAll(async () => {
    bot = await SlackTestBot.start({ label: 'slsign' });
  });
  afterAll(async () => bot?.close());

  const now = () => Math.floor(Date.now() / 1000);
  const upBody = (name: string) => slashCommandBody({ user: 'U1', text: `up ${name}`, responseUrl: bot.stub.responseUrl(name) });

  async function expectNothingChanged(name: string): Promise<void> {
    await bot.settle();
    expect(bot.stub.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(await bot.engine.store.get(name)).toBeUndefined();
    expect(bot.audits).toEqual([]);
  }

  it('answers Slack\'s URL verification challenge when signed', async () => {
    const body = JSON.stringify({ type: 'url_verification', token: 'x', challenge: 'challenge-123' });
    const res = await bot.send(body, JSON_TYPE);
    expect(res).toMatchObject({ status: 200, json: { challenge: 'challenge-123' } });
  });

  it.each([
    ['a bad signature', (body: string) => ({ ...signedHeaders(body, FORM), 'x-slack-signature': signatureFor('not-the-secret', now(), body) })],
    ['a stale timestamp (> 5 minutes)', (body: string) => signedHeaders(body, FORM, { timestamp: now() - 6 * 60 })],
    ['a timestamp from the future (> 5 minutes)', (body: string) => signedHeaders(body, FORM, { timestamp: now() + 6 * 60 })],
    ['no signature headers', () => ({ 'content-type': FORM })],
    ['a signature over a different body', (body: string) => signedHeaders(body.replace('up+', 'down+'), FORM)],
  ])('refuses %s with 401 and changes nothing', async (_what, headersFor) => {
    const body = upBody('evil-env');
    const res = await postSigned(bot.url, body, headersFor(body) as Record<string, string>);
    expect(res.status).toBe(401);
    await expectNothingChanged('evil-env');
  });

  it('refuses a body over 1 MB', async () => {
    const body = `${upBody('big-env')}&padding=${'x'.repeat(1_100_000)}`;
    const res = await bot.send(body, FORM);
    expect(res.status).toBe(413);
    await expectNothingChanged('big-env');
  });

  it('lets Slack\'s unsigned SSL check through, and only that', async () => {
    const res = await postSigned(bot.url, 'ssl_check=1&token=x&command=%2Fenv&text=up+sneaky', { 'content-type': FORM });
    expect(res.status).toBe(200);
    await expectNothingChanged('sneaky');
  });

  it('refuses a replayed, correctly signed request — here and on another replica', async () => {
    const body = upBody('once-env');
    const headers = signedHeaders(body, FORM, { secret: SIGNING_SECRET });
    const first = await postSigned(bot.url, body, { ...headers });
    expect(first.status).toBe(200);
    await bot.settle();
    const slackCalls = () => bot.stub.calls.filter((c) => c.method !== 'auth.test').length;
    const callsAfterFirst = slackCalls();
    const recordAfterFirst = await bot.engine.store.get('once-env');
    expect(recordAfterFirst).toMatchObject({ status: 'ready', owner: 'slack:U1' });
    expect(bot.audits.filter((a) => a.env === 'once-env')).toHaveLength(1);

    const again = await postSigned(bot.url, body, { ...headers });
    expect(again.status).toBe(401);
    await bot.settle();

    // A second replica shares the store (not the memory): the durable guard refuses it there too.
    const replica = await SlackTestBot.start({ label: 'slsign', replicaOf: bot });
    try {
      const elsewhere = await postSigned(replica.url, body, { ...headers });
      expect(elsewhere.status).toBe(401);
      await replica.settle();
      expect(replica.audits).toEqual([]);
    } finally {
      await replica.close({ keepStub: true });
    }

    expect(slackCalls()).toBe(callsAfterFirst);
    expect(await bot.engine.store.get('once-env')).toEqual(recordAfterFirst);
    expect(bot.audits.filter((a) => a.env === 'once-env')).toHaveLength(1);
  });

  // Finding 5: `v0=<hex>=anything` used to verify (the hash was read with split('=', 2)) and, keyed
  // on the raw header, each suffix replayed the same signed command once more.
  it('refuses a signature with anything after the hash, and no spelling of a signed request replays it', async () => {
    const body = upBody('suffix-env');
    const headers = signedHeaders(body, FORM);
    const suffixed = (tail: string) => ({ ...headers, 'x-slack-signature': `${headers['x-slack-signature']}${tail}` });

    const callsBefore = bot.stub.calls.length;
    expect((await postSigned(bot.url, body, suffixed('=anything'))).status).toBe(401);
    await bot.settle();
    expect(bot.stub.calls.length).toBe(callsBefore);
    expect(await bot.engine.store.get('suffix-env')).toBeUndefined();

    expect((await postSigned(bot.url, body, { ...headers })).status).toBe(200);
    await bot.settle();
    const callsAfterFirst = bot.stub.calls.length;
    for (const tail of ['=x', '=y', '==', '=0']) {
      expect((await postSigned(bot.url, body, suffixed(tail))).status, tail).toBe(401);
    }
    expect((await postSigned(bot.url, body, { ...headers })).status).toBe(401);
    await bot.settle();
    expect(bot.stub.calls.length).toBe(callsAfterFirst);
    expect(bot.audits.filter((a) => a.env === 'suffix-env')).toHaveLength(1);
  });
});
