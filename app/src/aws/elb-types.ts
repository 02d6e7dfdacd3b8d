/**
 * envbot's own listener rule shapes: the conditions and actions it builds (rule-actions.ts) and
 * reads back (DescribeRules). Field names are the ELBv2 API's, so the load balancer adapter
 * (elb.ts) maps them to and from the SDK without renaming; no module above aws/ names an SDK type.
 * Only the fields envbot sets or compares are listed; a rule read back keeps any others untouched,
 * so resending it (rule-flip.ts) changes nothing envbot does not mean to change.
 */

/** The API's values, all of them, so a rule read back fits these types and what envbot builds fits the API's. */
export type ActionType = 'authenticate-cognito' | 'authenticate-oidc' | 'fixed-response' | 'forward' | 'jwt-validation' | 'redirect';
export type UnauthenticatedBehaviour = 'allow' | 'authenticate' | 'deny';
export type ClaimFormat = 'single-string' | 'space-separated-values' | 'string-array';

export interface TargetGroupWeight {
  TargetGroupArn?: string;
  Weight?: number;
}

export interface OidcActionConfig {
  // Required by the API (the SDK's `string | undefined`), optional below.
  Issuer: string | undefined;
  AuthorizationEndpoint: string | undefined;
  TokenEndpoint: string | undefined;
  UserInfoEndpoint: string | undefined;
  ClientId: string | undefined;
  ClientSecret?: string;
  UseExistingClientSecret?: boolean;
  Scope?: string;
  SessionTimeout?: number;
  OnUnauthenticatedRequest?: UnauthenticatedBehaviour;
}

export interface JwtValidationActionConfig {
  JwksEndpoint: string | undefined;
  Issuer: string | undefined;
  AdditionalClaims?: { Name: string | undefined; Format: ClaimFormat | undefined; Values: string[] | undefined }[];
}

/** One action of a listener rule: forward, authenticate-oidc, jwt-validation or fixed-response. */
export interface RuleAction {
  Type: ActionType | undefined;
  Order?: number;
  /** A plain forward (rules from before weighted routing). */
  TargetGroupArn?: string;
  ForwardConfig?: { TargetGroups?: TargetGroupWeight[]; TargetGroupStickinessConfig?: { Enabled?: boolean } };
  AuthenticateOidcConfig?: OidcActionConfig;
  JwtValidationConfig?: JwtValidationActionConfig;
  FixedResponseConfig?: { StatusCode: string | undefined; ContentType?: string; MessageBody?: string };
}

/** One condition of a listener rule: host-header, http-header, source-ip or path-pattern. */
export interface RuleCondition {
  Field?: string;
  /** The legacy form of host-header and path-pattern values. */
  Values?: string[];
  HostHeaderConfig?: { Values?: string[] };
  HttpHeaderConfig?: { HttpHeaderName?: string; Values?: string[] };
  SourceIpConfig?: { Values?: string[] };
  PathPatternConfig?: { Values?: string[] };
}

/** A listener rule as DescribeRules returns it. */
export interface ListenerRule {
  RuleArn?: string;
  /** A number as text, or "default". */
  Priority?: string;
  IsDefault?: boolean;
  Conditions?: RuleCondition[];
  Actions?: RuleAction[];
}
