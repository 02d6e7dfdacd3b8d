import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../support/engine-fixture.js';

const actor = { id: 'slack:U1', source: 'slack' as const };

describe('up --image: only allowed registries, checked before anything is written', () => {
  let f: EngineFixture;
  beforeAll(async () => {
    f = await engineFixture('imgallow');
  });
  afterAll(async () => {
    await f.engine.stop();
  });

  it('refuses an image from a registry nobody allowed, and records nothing', async () => {
    const result = await f.engine.runText({ actor }, 'up miner --image docker.io/evil/miner:latest');
    expect(result.kind).toBe('refused');
    expect(result.text).toContain('images from `docker.io/evil/miner` are not allowed');
    expect(result.text).toContain('ENVBOT_ALLOWED_IMAGES');
    expect(await f.engine.store.get('miner')).toBeUndefined();
  });

  it('accepts the default image\'s repository', async () => {
    const result = await f.engine.runText({ actor }, 'up web --image public.ecr.aws/nginx/nginx:1.27');
    expect(result.kind).toBe('accepted');
    expect((await f.engine.store.get('web'))?.image).toBe('public.ecr.aws/nginx/nginx:1.27');
  });
});
