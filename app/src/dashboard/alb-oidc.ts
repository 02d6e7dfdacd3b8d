/**
 * The dashboard's name for the ALB identity verifier, which now lives in `http/alb-identity.ts`
 * so the waking door can use the same one (one token verifier for every ALB login).
 */
export {
  AlbIdentityVerifier as AlbOidcVerifier,
  OidcTokenError,
  type AlbIdentityOptions as AlbOidcVerifierOptions,
  type KeyFetcher,
  type OidcIdentity,
} from '../http/alb-identity.js';
