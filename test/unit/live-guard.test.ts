import { describe, expect, it } from 'vitest';
import { liveSettings, LiveTestRefused } from '../live/guard.js';

/** An injected STS GetCallerIdentity answer: the refusal must work offline, before any AWS call. */
const sts = (account: string) => {
  const calls: string[] = [];
  return { calls, whoAmI: async () => (calls.push('whoAmI'), { account, arn: `arn:aws:sts::${account}:assumed-role/Dev/me` }) };
};
const BOT = { ENVBOT_URL: 'https://envbot.envs.example.com/', ENVBOT_API_TOKEN: 'a-long-operator-token' };

describe('the live smoke test runs only in the account named by ENVBOT_LIVE_ACCOUNT', () => {
  it('refuses without ENVBOT_LIVE_ACCOUNT, before asking STS', async () => {
    const identity = sts('111122223333');
    await expect(liveSettings({ ...BOT }, identity)).rejects.toThrow(LiveTestRefused);
    expect(identity.calls).toEqual([]);
  });

  it('refuses when the credentials belong to another account', async () => {
    const run = liveSettings({ ...BOT, ENVBOT_LIVE_ACCOUNT: '111122223333' }, sts('444455556666'));
    await expect(run).rejects.toThrow('belong to account 444455556666, but ENVBOT_LIVE_ACCOUNT is 111122223333');
  });

  it('refuses without the deployed bot to drive', async () => {
    await expect(liveSettings({ ENVBOT_LIVE_ACCOUNT: '111122223333' }, sts('111122223333'))).rejects.toThrow('set ENVBOT_URL');
  });

  it('runs when the account matches', async () => {
    const settings = await liveSettings({ ...BOT, ENVBOT_LIVE_ACCOUNT: '111122223333' }, sts('111122223333'));
    expect(settings).toEqual({ account: '111122223333', botUrl: 'https://envbot.envs.example.com', apiToken: 'a-long-operator-token' });
  });
});
