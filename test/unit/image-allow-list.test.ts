import { describe, expect, it } from 'vitest';
import { checkImageAllowed } from '../../app/src/builds/image-allow-list.js';
import { parseImageRef } from '../../app/src/builds/image-ref.js';
import { loadConfig } from '../../app/src/config.js';

const OWN = '123456789012.dkr.ecr.us-east-1.amazonaws.com/envbot-apps';
const DIGEST = `sha256:${'a'.repeat(64)}`;

function config(env: Record<string, string> = {}) {
  return loadConfig({ ENVBOT_MODE: 'local', ENVBOT_DOMAIN: 'envs.example.com', ENVBOT_ACCOUNT_ID: '123456789012', AWS_REGION: 'us-east-1', ...env });
}

describe('image references', () => {
  it('parse like Docker: registry only when the first part looks like a host; Docker Hub names get library/', () => {
    expect(parseImageRef(`${OWN}:c-abc`)).toEqual({ registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', repository: 'envbot-apps', tag: 'c-abc' });
    expect(parseImageRef(`${OWN}@${DIGEST}`)).toMatchObject({ repository: 'envbot-apps', digest: DIGEST });
    expect(parseImageRef('nginx')).toEqual({ registry: 'docker.io', repository: 'library/nginx' });
    expect(parseImageRef('acme/app:1.0')).toEqual({ registry: 'docker.io', repository: 'acme/app', tag: '1.0' });
    expect(parseImageRef('localhost:5000/app:1')).toEqual({ registry: 'localhost:5000', repository: 'app', tag: '1' });
  });

  it('refuse what Docker would not accept', () => {
    for (const bad of ['', 'UPPER/Case:1', 'app:tag; rm -rf /', 'app tag', `${OWN}@sha256:abc`, 'x/../y', 'app:', ':tag', 'a//b']) {
      expect(parseImageRef(bad), bad).toBeUndefined();
    }
  });
});

describe('--image allow-list', () => {
  it('allows envbot\'s own repository, by tag or digest', () => {
    expect(checkImageAllowed(`${OWN}:c-${'b'.repeat(40)}`, config()).ok).toBe(true);
    expect(checkImageAllowed(`${OWN}@${DIGEST}`, config()).ok).toBe(true);
  });

  it('refuses another account\'s repository of the same name, another repository, another region, and look-alike hosts', () => {
    for (const uri of [
      '999999999999.dkr.ecr.us-east-1.amazonaws.com/envbot-apps:1',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/other:1',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/envbot-apps:1',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example/envbot-apps:1',
    ]) {
      const check = checkImageAllowed(uri, config());
      expect(check.ok, uri).toBe(false);
      expect(!check.ok && check.reason).toMatch(/are not allowed: envbot deploys images from `123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/envbot-apps`.*ENVBOT_ALLOWED_IMAGES/);
    }
  });

  it('refuses public images unless they are the default image\'s repository or an admin allowed them', () => {
    expect(checkImageAllowed('public.ecr.aws/nginx/nginx:latest', config()).ok).toBe(false);
    expect(checkImageAllowed('public.ecr.aws/nginx/nginx:1.27', config({ ENVBOT_DEFAULT_IMAGE: 'public.ecr.aws/nginx/nginx:latest' })).ok).toBe(true);
    const allowed = config({ ENVBOT_ALLOWED_IMAGES: 'public.ecr.aws/nginx/*, nginx, ghcr.io/acme/*' });
    expect(checkImageAllowed('public.ecr.aws/nginx/nginx:1.27', allowed).ok).toBe(true);
    expect(checkImageAllowed('nginx:1.27', allowed).ok).toBe(true);
    expect(checkImageAllowed('docker.io/library/nginx', allowed).ok).toBe(true);
    expect(checkImageAllowed('ghcr.io/acme/api@' + DIGEST, allowed).ok).toBe(true);
    // A prefix is not a pattern: nginx-evil is not nginx/*, and evil/nginx is not library/nginx.
    expect(checkImageAllowed('public.ecr.aws/nginx-evil/x:1', allowed).ok).toBe(false);
    expect(checkImageAllowed('evil/nginx:1', allowed).ok).toBe(false);
    expect(checkImageAllowed('ghcr.io/acme-evil/api:1', allowed).ok).toBe(false);
  });

  it('refuses garbage and over-long names with a message that says what to do', () => {
    const check = checkImageAllowed(`${OWN}:${'x'.repeat(300)}`, config());
    expect(check).toEqual({ ok: false, reason: expect.stringMatching(/is not an image reference — use <registry>\/<repository>:<tag>/) });
    expect(checkImageAllowed('$(curl evil)', config()).ok).toBe(false);
  });
});
