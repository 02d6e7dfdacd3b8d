import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's limit: a request whose timestamp is more than five minutes off is refused. */
export const MAX_SKEW_SECONDS = 300;

/** `hash` is the verified HMAC (64 lowercase hex digits), the replay guard's key with the timestamp. */
export type SignatureCheck = { ok: true; timestamp: number; hash: string } | { ok: false; reason: string };

/** Exactly what Slack sends; anything around it (`v0=<hex>=x`, spaces, upper case) is refused. */
const SIGNATURE_FORMAT = /^v0=([0-9a-f]{64})$/;

export interface SignedRequest {
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
}

/**
 * v0 signing: HMAC-SHA256 over `v0:{timestamp}:{body}` with the signing secret. Bolt checks this
 * too, but only against old timestamps; we refuse a timestamp too far in the future as well, and
 * need the verified signature anyway as the key of the replay guard.
 */
export function checkSignature(req: SignedRequest, signingSecret: string, nowMs: number): SignatureCheck {
  if (!req.signature || !req.timestamp) return { ok: false, reason: 'missing x-slack-signature or x-slack-request-timestamp' };
  if (!/^\d{1,12}$/.test(req.timestamp)) return { ok: false, reason: 'x-slack-request-timestamp is not a number' };
  const timestamp = Number(req.timestamp);
  if (Math.abs(nowMs / 1000 - timestamp) > MAX_SKEW_SECONDS) return { ok: false, reason: 'timestamp is more than 5 minutes off' };
  const hash = SIGNATURE_FORMAT.exec(req.signature)?.[1];
  if (!hash) return { ok: false, reason: 'malformed signature' };
  const expected = createHmac('sha256', signingSecret).update(`v0:${req.timestamp}:${req.rawBody}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return { ok: false, reason: 'signature mismatch' };
  return { ok: true, timestamp, hash };
}
