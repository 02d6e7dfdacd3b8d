import type { ProtectionSettings } from '../environments/protection-settings.js';

/**
 * What an admin is shown about the automation bypass (doctor output, or an admin-only `/env`
 * answer): how CI gets past protection. The secret header's value appears only when `reveal` is
 * set — the caller decides that only an admin, in a private reply, gets it; never log the result.
 */
export function bypassNotice(p: ProtectionSettings, o: { domain: string; reveal: boolean }): string {
  const example = `https://<name>.${o.domain}/`;
  const lines = [`Protection: ${p.mode}${p.mode === 'ip' ? ` (${p.allowedCidrs.join(', ')})` : ''}`];
  if (p.mode === 'public') return [...lines, 'No bypass is needed: environments are public.'].join('\n');
  const b = p.bypass;
  if (b.ciIssuer) {
    const claims = Object.entries(b.ciClaims).map(([k, vs]) => `${k}=${vs.join('|')}`).join(', ');
    lines.push(`CI tokens from ${b.ciIssuer} with ${claims}: send "Authorization: Bearer <token>" (GitHub Actions: request an OIDC token with audience from the aud claim).`);
  }
  if (b.secret) {
    const value = o.reveal ? b.secret : '<hidden: ask an admin>';
    lines.push(`Secret header: curl -H '${b.headerName}: ${value}' ${example}`);
    lines.push(`Anyone allowed elasticloadbalancing:DescribeRules can read this value; rotate it in ${b.secretArn ?? 'its secret'} and restart the bot.`);
  }
  if (!b.ciIssuer && !b.secret) lines.push('No automation bypass is configured: CI must pass the same protection as people.');
  return lines.join('\n');
}
