import { beforeAll, describe, expect, it } from 'vitest';
import { AWS_OPERATIONS, botIamNeeds } from '../../app/src/doctor/aws-operations.js';
import { resourcesOf, synthesize, type Synthesized } from './support/synth.js';

/**
 * The bot role (infra/lib/bot-permissions.ts) and the operation catalogue (app/src/doctor/
 * aws-operations.ts, which `envbot doctor` simulates in a real account) must agree: every action
 * the bot calls is granted, nothing else is, and only actions AWS cannot scope are granted on *.
 */
let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

function botStatements(): Statement[] {
  const [roleId] = resourcesOf(s, 'AWS::IAM::Role').find(([id]) => id.startsWith('BotTaskRole'))!;
  return resourcesOf(s, 'AWS::IAM::Policy')
    .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
    .filter((st) => st.Effect === 'Allow');
}

const actionsOf = (st: Statement) => ([] as string[]).concat(st.Action);
const onEverything = (st: Statement) => ([] as unknown[]).concat(st.Resource).includes('*');

describe('bot role ⇔ operation catalogue', () => {
  it('grants every action the bot calls', () => {
    const granted = new Set(botStatements().flatMap(actionsOf));
    const needed = [...new Set(botIamNeeds().flatMap((n) => n.actions))];
    expect(needed.filter((a) => !granted.has(a))).toEqual([]);
  });

  it('grants no action the bot does not call', () => {
    const needed = new Set(botIamNeeds().flatMap((n) => n.actions));
    const granted = [...new Set(botStatements().flatMap(actionsOf))];
    expect(granted.filter((a) => !needed.has(a))).toEqual([]);
  });

  it('grants on * exactly the actions the catalogue says AWS cannot scope', () => {
    const star = new Set(botStatements().filter(onEverything).flatMap(actionsOf));
    const catalogueStar = new Set(botIamNeeds().filter((n) => n.resource === '*').flatMap((n) => n.actions));
    expect([...star].sort()).toEqual([...catalogueStar].sort());
  });

  it('catalogues each operation once', () => {
    const keys = AWS_OPERATIONS.map((o) => `${o.who}:${o.service}:${o.operation}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});
