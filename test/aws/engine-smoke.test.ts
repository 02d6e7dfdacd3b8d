import { describe, expect, it } from 'vitest';
import { engineFixture, slackUser } from '../support/engine-fixture.js';

describe('engine smoke', () => {
  it('brings an environment up and down', async () => {
    const f = await engineFixture('smoke');
    const res = await f.engine.runText(slackUser('U1'), 'up feature-x');
    expect(res.kind).toBe('accepted');
    await f.engine.idle();
    const rec = await f.engine.store.get('feature-x');
    expect(rec?.status, rec?.statusReason).toBe('ready');
    expect(rec?.url).toBe('https://feature-x.envs.example.com');
    await f.engine.runText(slackUser('U1'), 'down feature-x');
    await f.engine.idle();
    expect(await f.engine.store.get('feature-x')).toBeUndefined();
    expect(f.notices.kinds('feature-x')).toEqual(['progress', 'progress', 'progress', 'ready', 'destroyed']);
  });
});
