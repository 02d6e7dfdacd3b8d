import { AWS_OPERATIONS, type AwsOperation, type Who } from './aws-operations.js';

export const TABLE_START = '<!-- operations:start (generated from app/src/doctor/aws-operations.ts: npx tsx app/src/doctor/write-catalogue.ts) -->';
export const TABLE_END = '<!-- operations:end -->';

const HEADINGS: Record<Who, string> = {
  bot: 'Called by the bot (its task role must allow them; `envbot doctor` simulates each)',
  local: 'Local mode and tests only (the CDK stack makes these resources in an account)',
  operator: 'Read by `envbot doctor` and the live smoke test (the operator\'s credentials)',
};

/** The catalogue tables of docs/aws-behaviours.md, one per kind of caller. */
export function renderCatalogue(ops: readonly AwsOperation[] = AWS_OPERATIONS): string {
  const parts: string[] = [];
  for (const who of ['bot', 'local', 'operator'] as const) {
    parts.push(`#### ${HEADINGS[who]}`, '', '| Service | Operation | Parameters that matter | IAM action → resource | AWS, not moto | Source | Test |', '|---|---|---|---|---|---|---|');
    for (const o of ops.filter((x) => x.who === who)) {
      parts.push(`| ${o.service} | ${o.operation} | ${cell(o.params)} | ${cell(iamCell(o))} | ${cell(o.awsNotMoto)} | [API reference](${o.source}) | ${cell(o.test)} |`);
    }
    parts.push('');
  }
  return parts.join('\n');
}

function iamCell(o: AwsOperation): string {
  if (o.iam.length === 0) return '— (not called in an account)';
  return o.iam
    .map((n) => `${n.actions.map((a) => `\`${a}\``).join(', ')} → \`${n.resource}\`${n.context ? ` if ${Object.entries(n.context).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}`)
    .join('; ');
}

/** Table-safe: pipes escaped, and `<env>` kept visible (Markdown would take it for an HTML tag). */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');
}
