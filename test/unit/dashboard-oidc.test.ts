import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, type Config } from '../../app/src/config.js';
import { AlbOidcVerifier, OidcTokenError } from '../../app/src/dashboard/alb-oidc.js';
import { localGate, oidcGate, sameOriginWrite } from '../../app/src/dashboard/gate.js';
import { readDashboardSettings } from '../../app/src/dashboard/settings.js';

// Prepare: our own P-256 key stands in for the ALB's; the fetcher serves its public half.
const ALB_ARN = 'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/envbot/0123456789abcdef';
const KID = '8d1c9d1e-6c0d-4bd5-9f43-2b7c0a4f1e10';
const NOW = new Date('2026-06-01T10:00:00Z');
const alb = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Signs like the ALB: ES256 with a raw r‖s signature; `pad` adds the `=` padding the ALB sends. */
function token(o: { header?: Record<string, unknown>; payload?: Record<string, unknown>; key?: KeyObject; pad?: boolean } = {}): string {
  const header = { alg: 'ES256', kid: KID, signer: ALB_ARN, iss: 'https://idp.example.com', client: 'envbot', exp: NOW.getTime() / 1000 + 60, ...o.header };
  const payload = { sub: 'user-123', email: 'dev@example.com', exp: NOW.getTime() / 1000 + 60, iss: 'https://idp.example.com', ...o.payload };
  const pad = (s: string) => (o.pad ? s + '='.repeat((4 - (s.length % 4)) % 4) : s);
  const input = `${pad(b64(header))}.${pad(b64(payload))}`;
  const sig = sign('sha256', Buffer.from(input), { key: o.key ?? alb.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  return `${input}.${pad(sig)}`;
}

function verifier(extra: Partial<ConstructorParameters<typeof AlbOidcVerifier>[0]> = {}) {
  const fetchKey = vi.fn(async (url: string) => {
    if (url !== `https://public-keys.auth.elb.ap-northeast-2.amazonaws.com/${KID}`) throw new Error(`unexpected key URL ${url}`);
    return alb.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  });
  return { fetchKey, v: new AlbOidcVerifier({ albArn: ALB_ARN, region: 'ap-northeast-2', fetchKey, ...extra }) };
}

// aws-jwt-verify reads the system clock: pin it (only Date) so tokens made for NOW are current.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterAll(() => {
  vi.useRealTimers();
});

const req = (headers: Record<string, string>, remoteAddress = '127.0.0.1') => ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('ALB OIDC identity verification', () => {
  it('accepts a token the ALB signed and returns its email and subject', async () => {
    const { v, fetchKey } = verifier();
    await expect(v.verify(token())).resolves.toEqual({ sub: 'user-123', email: 'dev@example.com' });
    // The key is fetched once per key id, then cached.
    await v.verify(token());
    expect(fetchKey).toHaveBeenCalledTimes(1);
  });

  it('accepts the padded base64url the ALB really sends', async () => {
    await expect(verifier().v.verify(token({ pad: true }))).resolves.toMatchObject({ sub: 'user-123' });
  });

  it.each([
    ['signed with another key', () => token({ key: attacker.privateKey }), 'signature'],
    ['from another load balancer', () => token({ header: { signer: ALB_ARN.replace('envbot', 'other') } }), 'not signed by our load balancer'],
    ['with alg none', () => token({ header: { alg: 'none' } }), 'algorithm'],
    ['with alg HS256', () => token({ header: { alg: 'HS256' } }), 'algorithm'],
    ['expired', () => token({ header: { exp: NOW.getTime() / 1000 - 120 } }), 'expired'],
    ['without expiry', () => token({ header: { exp: undefined }, payload: { exp: undefined } }), 'no expiry'],
    ['without subject', () => token({ payload: { sub: '' } }), 'no subject'],
    ['not a JWT', () => 'abc.def', 'not a JWT'],
  ])('refuses a token %s', async (_what, make, message) => {
    await expect(verifier().v.verify(make())).rejects.toThrow(message);
  });

  it('refuses a payload changed after signing', async () => {
    const [h, , s] = token().split('.');
    const forged = `${h}.${b64({ sub: 'admin', email: 'boss@example.com', exp: NOW.getTime() / 1000 + 60 })}.${s}`;
    await expect(verifier().v.verify(forged)).rejects.toThrow('signature');
  });

  it('never builds a key URL from a key id that is not a plain id', async () => {
    const { v, fetchKey } = verifier();
    await expect(v.verify(token({ header: { kid: '../../evil.example.com/key' } }))).rejects.toThrow('key id');
    expect(fetchKey).not.toHaveBeenCalled();
  });

  it('checks the issuer when one is configured', async () => {
    await expect(verifier({ issuer: 'https://idp.example.com' }).v.verify(token())).resolves.toMatchObject({ sub: 'user-123' });
    await expect(verifier({ issuer: 'https://other-idp.example.com' }).v.verify(token())).rejects.toThrow('another issuer');
  });

  it('retries a key fetch that failed instead of caching the failure', async () => {
    let calls = 0;
    const v = new AlbOidcVerifier({
      albArn: ALB_ARN,
      region: 'ap-northeast-2',
      fetchKey: async () => {
        calls++;
        if (calls === 1) throw new Error('network down');
        return alb.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      },
    });
    await expect(v.verify(token())).rejects.toBeInstanceOf(OidcTokenError);
    await expect(v.verify(token())).resolves.toMatchObject({ sub: 'user-123' });
  });
});

describe('dashboard gates', () => {
  it('OIDC gate: no header is 401, a verified token gives the email as the actor id', async () => {
    const gate = oidcGate(verifier().v);
    await expect(gate(req({}))).resolves.toMatchObject({ ok: false, status: 401 });
    await expect(gate(req({ 'x-amzn-oidc-data': token({ key: attacker.privateKey }) }))).resolves.toMatchObject({ ok: false, status: 401 });
    await expect(gate(req({ 'x-amzn-oidc-data': token() }))).resolves.toEqual({ ok: true, actor: { id: 'oidc:dev@example.com', source: 'dashboard' } });
    await expect(gate(req({ 'x-amzn-oidc-data': token({ payload: { email: undefined } }) }))).resolves.toMatchObject({ actor: { id: 'oidc:user-123' } });
    // An unverified email is not an identity; a subject shaped like an email is marked as a subject.
    await expect(gate(req({ 'x-amzn-oidc-data': token({ payload: { email_verified: false } }) }))).resolves.toMatchObject({ actor: { id: 'oidc:user-123' } });
    await expect(gate(req({ 'x-amzn-oidc-data': token({ payload: { email: undefined, sub: 'boss@example.com' } }) }))).resolves.toMatchObject({ actor: { id: 'oidc:sub:boss@example.com' } });
  });

  it('local gate: this machine only, and only under a loopback host name (no DNS rebinding)', async () => {
    const gate = localGate('alice');
    await expect(gate(req({ host: '127.0.0.1:3000' }))).resolves.toEqual({ ok: true, actor: { id: 'cli:alice', source: 'dashboard' } });
    await expect(gate(req({ host: 'localhost:3000' }, '::1'))).resolves.toMatchObject({ ok: true });
    await expect(gate(req({ host: '127.0.0.1:3000' }, '10.0.0.7'))).resolves.toMatchObject({ ok: false, status: 403 });
    await expect(gate(req({ host: 'evil.example.com:3000' }))).resolves.toMatchObject({ ok: false, status: 403 });
  });

  it('writes must be JSON from the page itself', () => {
    const json = { 'content-type': 'application/json', host: 'localhost:3000' };
    expect(sameOriginWrite(req(json))).toBe(true);
    expect(sameOriginWrite(req({ ...json, origin: 'http://localhost:3000' }))).toBe(true);
    expect(sameOriginWrite(req({ ...json, origin: 'https://evil.example.com' }))).toBe(false);
    expect(sameOriginWrite(req({ 'content-type': 'text/plain', host: 'localhost:3000' }))).toBe(false);
  });
});

describe('dashboard settings', () => {
  const local = loadConfig({ ENVBOT_MODE: 'local' });
  const aws = (enabled?: boolean): Config => ({ ...local, mode: 'aws', dashboard: enabled === undefined ? {} : { enabled } });

  it('is on locally and off in AWS unless enabled', () => {
    expect(readDashboardSettings(local, {})).toEqual({ enabled: true });
    expect(readDashboardSettings(aws(), {})).toEqual({ enabled: false });
    expect(readDashboardSettings(aws(false), { ENVBOT_DASHBOARD_ALB_ARN: ALB_ARN })).toEqual({ enabled: false });
  });

  it('enabled in AWS: needs the ALB ARN and takes the key region from it', () => {
    expect(() => readDashboardSettings(aws(true), {})).toThrow(ConfigError);
    expect(() => readDashboardSettings(aws(true), {})).toThrow('ENVBOT_DASHBOARD_ALB_ARN is missing');
    expect(() => readDashboardSettings(aws(true), { ENVBOT_DASHBOARD_ALB_ARN: 'arn:aws:iam::123456789012:role/x' })).toThrow('not an application load balancer ARN');
    expect(readDashboardSettings(aws(true), { ENVBOT_DASHBOARD_ALB_ARN: ALB_ARN })).toEqual({
      enabled: true,
      oidc: { albArn: ALB_ARN, region: 'ap-northeast-2' },
    });
  });
});
