import { readFileSync } from 'node:fs';
import { App, type PolicyValidationPluginReport, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildEnvbotApp } from '../../../infra/lib/app.js';
import type { EnvbotStack } from '../../../infra/lib/envbot-stack.js';

export interface Synthesized {
  stack: EnvbotStack;
  template: Template;
  json: { Resources: Record<string, Record<string, unknown>>; Outputs: Record<string, Record<string, unknown>> };
  nag: PolicyValidationPluginReport;
  acknowledgements: { path: string; id: string; reason: string }[];
  /** Acknowledgements that match no finding cdk-nag would raise: stale, or hiding nothing. */
  unusedAcknowledgements: string[];
}

/** cdk.json's context (feature flags), so tests synthesize exactly what `cdk synth` does. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

/** Synthesizes the app with `envbot` settings (slow: call once per test file) and runs cdk-nag on it. */
export function synthesize(envbot: Record<string, unknown> = {}): Synthesized {
  const app = new App({ context: { ...cdkJsonContext(), envbot } });
  const stack = buildEnvbotApp(app, { nag: false });
  const template = Template.fromStack(stack);
  const nag = new AwsSolutionsChecks().validateScope(app);
  const acknowledgements = acknowledgementsOf(app);
  return {
    stack,
    template,
    json: template.toJSON() as Synthesized['json'],
    nag,
    acknowledgements,
    unusedAcknowledgements: unused(app, acknowledgements),
  };
}

/** Runs cdk-nag as if nothing were acknowledged and lists acknowledgements no raw finding needs. */
function unused(app: IConstruct, acknowledgements: Synthesized['acknowledgements']): string[] {
  const probe = new AwsSolutionsChecks();
  // A test-only view of every raw finding: cdk-nag offers no public switch for it.
  (probe as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  const raw = probe.validateScope(app).violations.flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })));
  return acknowledgements
    .filter((a) => !raw.some((f) => f.id === a.id.replace(/^annotation::/i, '') && (f.path === a.path || f.path.startsWith(`${a.path}/`))))
    .map((a) => `${a.id} at ${a.path}`);
}

function acknowledgementsOf(root: IConstruct): Synthesized['acknowledgements'] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason })))
      // aws-cdk-lib acknowledges some of its own template-validation rules; only ours are under review.
      .filter((a) => a.id.includes('AwsSolutions-')),
  );
}

/** Readable nag findings for an assertion message. */
export function nagFindings(report: PolicyValidationPluginReport): string[] {
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? r.resourceLogicalId}`));
}

/** Resources of one type as [logicalId, resource] pairs. */
export function resourcesOf(s: Synthesized, type: string): [string, Record<string, any>][] {
  return Object.entries(s.json.Resources).filter(([, r]) => r.Type === type) as [string, Record<string, any>][];
}

/** The bot container's environment as a name → value map (values may be CloudFormation tokens). */
export function botEnvironment(s: Synthesized): Record<string, unknown> {
  const [, taskDef] = resourcesOf(s, 'AWS::ECS::TaskDefinition')[0]!;
  const container = taskDef.Properties.ContainerDefinitions[0];
  return Object.fromEntries((container.Environment as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value]));
}
