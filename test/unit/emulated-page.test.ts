import { describe, expect, it } from 'vitest';
import { mergeLayers } from '../../app/src/environments/config-layers.js';
import { envNameFromHost } from '../../app/src/wake/door.js';
import { emulatedResponse } from '../../app/src/wake/emulated-page.js';

const config = mergeLayers({
  base: [
    { key: 'LOG_LEVEL', name: '/envbot/base/LOG_LEVEL', arn: 'arn:ssm:1', secure: false, value: 'info' },
    { key: 'DB_PASSWORD', name: '/envbot/base/DB_PASSWORD', arn: 'arn:ssm:2', secure: true, value: 'hunter2' },
  ],
  profile: [],
  env: [{ key: 'LOG_LEVEL', name: '/envbot/envs/feature-x/LOG_LEVEL', arn: 'arn:ssm:3', secure: false, value: '<debug>' }],
});
const env = { name: 'feature-x', branch: 'feature/x', image: '123.dkr.ecr/apps:abc123', profile: 'dev', config };

describe('local mode: the emulated page at <name>.localhost', () => {
  it('finds the environment from a *.localhost Host header', () => {
    expect(envNameFromHost('feature-x.localhost:3000', 'localhost')).toBe('feature-x');
  });

  it('is labelled emulated, shows each key with its layer, and never a secret value', () => {
    const page = emulatedResponse(env, true);
    expect(page.status).toBe(200);
    expect(page.body).toContain('EMULATED');
    expect(page.body).toContain('&#60;debug&#62;');
    expect(page.body).toContain('env (over base)');
    expect(page.body).toContain('/envbot/base/DB_PASSWORD');
    expect(page.body).not.toContain('hunter2');
    const json = emulatedResponse(env, false);
    expect(JSON.parse(json.body)).toMatchObject({ emulated: true, config: [{ key: 'DB_PASSWORD', secret: '/envbot/base/DB_PASSWORD' }, { key: 'LOG_LEVEL', value: '<debug>', layer: 'env' }] });
    expect(json.body).not.toContain('hunter2');
  });
});
