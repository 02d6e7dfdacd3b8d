import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AlbIdentityVerifier, OidcTokenError } from '../../app/src/http/alb-identity.js';

// Checks that only exist since the verifier is aws-jwt-verify's ALB verifier (dashboard-oidc.test.ts keeps the rest).
const ALB_ARN = 'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/envbot/0123456789abcdef';
const KID = '8d1c9d1e-6c0d-4bd5-9f43-2b7c0a4f1e10';
const NOW = new Date('2026-06-01T10:00:00Z');
const alb = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const exp = NOW.getTime() / 1000 + 60;

function token(header: Record<string, unknown> = {}, payload: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: 'ES256', kid: KID, signer: ALB_ARN, client: 'envbot', exp, ...header })}.${b64({ sub: 'u1', exp, ...payload })}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: alb.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}
const pem = (k: { publicKey: { export(o: object): string | Buffer } }) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const verifier = (o: { clientId?: string; key?: string } = {}) =>
  new AlbIdentityVerifier({ albArn: ALB_ARN, region: 'ap-northeast-2', fetchKey: async () => o.key ?? pem(alb), ...(o.clientId && { clientId: o.clientId }) });

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterAll(() => {
  vi.useRealTimers();
});

describe('ALB identity verifier (aws-jwt-verify)', () => {
  it('drops an email the IdP calls unverified, so it can neither name nor link a person', async () => {
    const v = verifier();
    expect(await v.verify(token({}, { email: 'Boss@Example.com', email_verified: false }))).toEqual({ sub: 'u1' });
    expect(await v.verify(token({}, { email: 'boss@example.com', email_verified: 'false' }))).toEqual({ sub: 'u1' });
    expect(await v.verify(token({}, { email: 'boss@example.com', email_verified: 'true' }))).toEqual({ sub: 'u1', email: 'boss@example.com' });
    // An IdP that does not say is trusted (it documents that it only issues verified addresses).
    expect(await v.verify(token({}, { email: 'boss@example.com' }))).toEqual({ sub: 'u1', email: 'boss@example.com' });
  });

  it('refuses a payload whose exp passed even when the header exp is current', async () => {
    await expect(verifier().verify(token({}, { exp: NOW.getTime() / 1000 - 600 }))).rejects.toThrow('expired');
  });

  it('pins the OIDC client when one is configured', async () => {
    await expect(verifier({ clientId: 'envbot' }).verify(token())).resolves.toMatchObject({ sub: 'u1' });
    await expect(verifier({ clientId: 'other-client' }).verify(token())).rejects.toThrow('another OIDC client');
  });

  it('refuses when the published key is not the P-256 key that signed', async () => {
    await expect(verifier({ key: pem(rsa) }).verify(token())).rejects.toBeInstanceOf(OidcTokenError);
  });

  it('refuses a region that does not match the load balancer ARN', () => {
    expect(() => new AlbIdentityVerifier({ albArn: ALB_ARN, region: 'us-east-1' })).toThrow('key region');
  });
});
