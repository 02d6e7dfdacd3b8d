import { AlbJwksCache } from 'aws-jwt-verify/alb-cache';
import { AlbJwtVerifier } from 'aws-jwt-verify/alb-verifier';
import {
  AlbJwtInvalidClientIdError,
  AlbJwtInvalidSignerError,
  FetchError,
  JwtExpiredError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtParseError,
  JwtWithoutValidKidError,
} from 'aws-jwt-verify/error';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';

/**
 * Verifies the identity an ALB `authenticate-oidc` action passes on in `x-amzn-oidc-data`: an ES256
 * JWT the load balancer signs with a key published at
 * `https://public-keys.auth.elb.<region>.amazonaws.com/<kid>`. Signature, key lookup (one fetch per
 * key id, failures not cached), padded base64url, `signer`, `client` and payload `exp`/`iss` are
 * checked by AWS's `aws-jwt-verify` (its ALB verifier); this module adds what envbot needs on top:
 * a refusal of any algorithm but ES256 and of foreign signers *before* a key is fetched, the
 * header `exp` the ALB sets (the library checks only the payload's), a required subject, and one
 * error type with messages the dashboard can log.
 * Used by the dashboard gate and the waking door (a protected environment's waking page).
 * See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html
 */

export interface OidcIdentity {
  sub: string;
  /** Only an email the IdP did not call unverified (`email_verified`). */
  email?: string;
  name?: string;
}

/** Fetches the PEM public key at a URL; injectable so tests (and an offline machine) serve their own key. */
export type KeyFetcher = (url: string) => Promise<string>;

export class OidcTokenError extends Error {
  readonly code = 'OIDC_TOKEN_INVALID';
}

export interface AlbIdentityOptions {
  albArn: string;
  /** Kept for callers that pass it; the key region is read from `albArn` (they must agree). */
  region: string;
  /** When set, the token's `iss` must equal it. */
  issuer?: string;
  /** When set, the header `client` (the OIDC client id of the listener rule) must equal it. */
  clientId?: string;
  fetchKey?: KeyFetcher;
  /** Allowed clock difference for `exp`. */
  skewSeconds?: number;
}

const MAX_TOKEN_CHARS = 16_384;

export class AlbIdentityVerifier {
  private readonly verifier;
  private readonly skew: number;

  constructor(private readonly o: AlbIdentityOptions) {
    const arnRegion = o.albArn.split(':')[3];
    if (arnRegion !== o.region) throw new OidcTokenError(`the load balancer ARN is in ${arnRegion ?? '?'} but the key region is ${o.region}`);
    this.skew = o.skewSeconds ?? 60;
    const fetchKey = o.fetchKey ?? fetchPem;
    const jwksCache = new AlbJwksCache({ fetcher: { fetch: (uri: string) => fetchKeyBytes(fetchKey, uri) } });
    this.verifier = AlbJwtVerifier.create(
      {
        albArn: o.albArn,
        issuer: o.issuer ?? null,
        clientId: o.clientId ?? null,
        graceSeconds: this.skew,
        customJwtCheck: ({ header, payload }) => this.checkExpiry(header.exp ?? payload.exp),
      },
      { jwksCache },
    );
  }

  async verify(token: string): Promise<OidcIdentity> {
    if (token.length > MAX_TOKEN_CHARS) throw new OidcTokenError('the identity token is too long');
    this.precheck(token);
    let payload: Record<string, unknown>;
    try {
      payload = (await this.verifier.verify(token)) as Record<string, unknown>;
    } catch (err) {
      throw toTokenError(err);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new OidcTokenError('the identity token names no subject');
    return {
      sub: payload.sub,
      ...(typeof payload.email === 'string' && payload.email && emailTrusted(payload.email_verified) && { email: payload.email }),
      ...(typeof payload.name === 'string' && payload.name && { name: payload.name }),
    };
  }

  /** Cheap header checks first: a token that cannot be ours must not cost a key fetch. */
  private precheck(token: string): void {
    let header: Record<string, unknown>;
    try {
      header = decomposeUnverifiedJwt(token).header as Record<string, unknown>;
    } catch (err) {
      throw toTokenError(err);
    }
    if (header.alg !== 'ES256') throw new OidcTokenError(`unexpected signing algorithm ${String(header.alg)}`);
    if (header.signer !== this.o.albArn) throw new OidcTokenError('the identity token was not signed by our load balancer');
  }

  private checkExpiry(exp: unknown): void {
    // No expiry means no way to bound a stolen header's life: refuse it.
    if (typeof exp !== 'number') throw new OidcTokenError('the identity token has no expiry');
    if (Date.now() / 1000 > exp + this.skew) throw new OidcTokenError('the identity token has expired');
  }
}

/**
 * An email the IdP says is unverified must not name (or link) a person: anyone could register it.
 * IdPs that send no `email_verified` (some only issue verified addresses) are trusted; Cognito and
 * others send it as the string "true".
 */
function emailTrusted(verified: unknown): boolean {
  return verified === undefined || verified === true || verified === 'true';
}

/** The library's error classes, in our words (the gate logs the message, never the token). */
function toTokenError(err: unknown): OidcTokenError {
  if (err instanceof OidcTokenError) return err;
  return new OidcTokenError(messageFor(err), { cause: err });
}

function messageFor(err: unknown): string {
  if (err instanceof JwtWithoutValidKidError) return 'the identity token has no usable key id';
  if (err instanceof AlbJwtInvalidSignerError) return 'the identity token was not signed by our load balancer';
  if (err instanceof AlbJwtInvalidClientIdError) return 'the identity token is for another OIDC client';
  if (err instanceof JwtInvalidSignatureAlgorithmError) return 'unexpected signing algorithm';
  if (err instanceof JwtInvalidSignatureError) return 'the identity token signature does not verify';
  if (err instanceof JwtExpiredError) return 'the identity token has expired';
  if (err instanceof JwtInvalidIssuerError) return 'the identity token is from another issuer';
  if (err instanceof JwtParseError) return `the identity token is not a JWT (${err.message})`;
  if (err instanceof FetchError) return `fetching the load balancer's public key failed: ${err.message}`;
  const m = err instanceof Error ? err.message : String(err);
  return `the identity token could not be verified: ${m}`;
}

/** The library's fetcher contract is bytes; a failed fetch is named here so the next request retries. */
async function fetchKeyBytes(fetchKey: KeyFetcher, url: string): Promise<ArrayBuffer> {
  let pem: string;
  try {
    pem = await fetchKey(url);
  } catch (err) {
    throw new OidcTokenError(`fetching the load balancer's public key failed: ${(err as Error).message}`, { cause: err });
  }
  const bytes = new TextEncoder().encode(pem);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function fetchPem(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.text();
}
