import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';

/**
 * Verifies the identity the ALB's OIDC authentication passes to the bot in `x-amzn-oidc-data`: a
 * JWT signed with ES256 by the load balancer. The header is only trusted after the signature
 * checks out against the key AWS publishes for its `kid`, its `signer` is exactly our ALB and it
 * has not expired — anyone who can reach the task directly could otherwise send a made-up header.
 *
 * ALB quirks handled here: the token is base64url *with* padding, and the signature is the raw
 * 64-byte r‖s form (IEEE P1363), not DER.
 * See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html
 */

export interface OidcIdentity {
  sub: string;
  email?: string;
  name?: string;
}

/** Fetches the PEM public key at a URL; injectable so tests sign with their own key. */
export type KeyFetcher = (url: string) => Promise<string>;

export class OidcTokenError extends Error {
  readonly code = 'OIDC_TOKEN_INVALID';
}

export interface AlbOidcVerifierOptions {
  albArn: string;
  region: string;
  /** When set, the token's `iss` must equal it. */
  issuer?: string;
  fetchKey?: KeyFetcher;
  now?: () => Date;
  /** Allowed clock difference for `exp`. */
  skewSeconds?: number;
}

const MAX_TOKEN_CHARS = 16_384;
const MAX_CACHED_KEYS = 32;
/** Key ids are UUID-like; anything else must never reach a URL. */
const KID = /^[A-Za-z0-9-]{1,128}$/;

export class AlbOidcVerifier {
  private readonly keys = new Map<string, Promise<KeyObject>>();
  private readonly fetchKey: KeyFetcher;
  private readonly now: () => Date;

  constructor(private readonly o: AlbOidcVerifierOptions) {
    this.fetchKey = o.fetchKey ?? fetchPem;
    this.now = o.now ?? (() => new Date());
  }

  async verify(token: string): Promise<OidcIdentity> {
    if (token.length > MAX_TOKEN_CHARS) throw new OidcTokenError('the identity token is too long');
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((p) => p.length === 0)) throw new OidcTokenError('the identity token is not a JWT');
    const [h, p, s] = parts as [string, string, string];
    const header = decodeJson(h, 'header');
    if (header.alg !== 'ES256') throw new OidcTokenError(`unexpected signing algorithm ${String(header.alg)}`);
    if (header.signer !== this.o.albArn) throw new OidcTokenError('the identity token was not signed by our load balancer');
    if (typeof header.kid !== 'string' || !KID.test(header.kid)) throw new OidcTokenError('the identity token has no usable key id');
    const key = await this.key(header.kid);
    const signature = Buffer.from(unpad(s), 'base64url');
    const valid = signature.length === 64 && verifySignature('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, signature);
    if (!valid) throw new OidcTokenError('the identity token signature does not verify');
    const payload = decodeJson(p, 'payload');
    this.checkExpiry(header.exp ?? payload.exp);
    if (this.o.issuer !== undefined && (header.iss ?? payload.iss) !== this.o.issuer) throw new OidcTokenError('the identity token is from another issuer');
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new OidcTokenError('the identity token names no subject');
    return {
      sub: payload.sub,
      ...(typeof payload.email === 'string' && payload.email && { email: payload.email }),
      ...(typeof payload.name === 'string' && payload.name && { name: payload.name }),
    };
  }

  private checkExpiry(exp: unknown): void {
    // No expiry means no way to bound a stolen header's life: refuse it.
    if (typeof exp !== 'number') throw new OidcTokenError('the identity token has no expiry');
    const skew = this.o.skewSeconds ?? 60;
    if (this.now().getTime() / 1000 > exp + skew) throw new OidcTokenError('the identity token has expired');
  }

  /** One fetch per key id (keys rotate rarely); failures are not cached so the next request retries. */
  private key(kid: string): Promise<KeyObject> {
    let pending = this.keys.get(kid);
    if (!pending) {
      const url = `https://public-keys.auth.elb.${this.o.region}.amazonaws.com/${kid}`;
      pending = this.fetchKey(url).then(parseEcKey);
      pending.catch(() => this.keys.delete(kid));
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.delete(this.keys.keys().next().value!);
      this.keys.set(kid, pending);
    }
    return pending.catch((err: unknown) => {
      throw err instanceof OidcTokenError ? err : new OidcTokenError(`fetching the load balancer's public key failed: ${(err as Error).message}`);
    });
  }
}

function parseEcKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new OidcTokenError('the load balancer public key is not a PEM key');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new OidcTokenError('the load balancer public key is not a P-256 key');
  }
  return key;
}

function unpad(segment: string): string {
  return segment.replace(/=+$/, '');
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(unpad(segment), 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new OidcTokenError(`the identity token ${what} is not JSON`);
}

async function fetchPem(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.text();
}
