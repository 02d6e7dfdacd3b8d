import {
  InvalidLoadBalancerActionException,
  type Action,
  type ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FidelityWorld } from './world.js';

/**
 * Documented AWS behaviour of the ALB's `authenticate-oidc` action that moto (5.x) lacks:
 * - Describe calls never return the OIDC `ClientSecret` (moto echoes what it was given), so code
 *   that copies a described rule into ModifyRule must keep the stored secret with
 *   `UseExistingClientSecret` instead;
 * - CreateRule needs `ClientSecret` ("required if you are creating a rule"; on ModifyRule it may be
 *   omitted only with `UseExistingClientSecret: true`), and sending a secret
 *   together with `UseExistingClientSecret: true` is refused with InvalidLoadBalancerAction
 *   ("You cannot both specify a client secret and set UseExistingClientSecret to true").
 * Sources: AuthenticateOidcActionConfig in the ELBv2 API reference
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AuthenticateOidcActionConfig.html);
 * the refusal as reported in ansible-collections/amazon.aws#1877.
 * Kept apart from elb.ts, which another piece of work fills in.
 */
const WRITES = new Set(['CreateRuleCommand', 'ModifyRuleCommand', 'CreateListenerCommand', 'ModifyListenerCommand']);

export function installElbOidcFidelity(client: ElasticLoadBalancingV2Client, _world: FidelityWorld): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      if (WRITES.has(command)) checkOidcActions(command, args.input as { Actions?: Action[]; DefaultActions?: Action[] });
      const result = await next(args);
      if (command === 'DescribeRulesCommand') hideSecrets((result.output as { Rules?: Rule[] }).Rules?.flatMap((r) => r.Actions ?? []));
      if (command === 'DescribeListenersCommand') hideSecrets((result.output as { Listeners?: { DefaultActions?: Action[] }[] }).Listeners?.flatMap((l) => l.DefaultActions ?? []));
      return result;
    },
    { step: 'initialize', name: 'fidelityElbOidc' },
  );
}

function checkOidcActions(command: string, input: { Actions?: Action[]; DefaultActions?: Action[] }): void {
  const creating = command.startsWith('Create');
  for (const a of [...(input.Actions ?? []), ...(input.DefaultActions ?? [])]) {
    const c = a.AuthenticateOidcConfig;
    if (a.Type !== 'authenticate-oidc' || !c) continue;
    if (c.ClientSecret && c.UseExistingClientSecret) refuse('You cannot both specify a client secret and set UseExistingClientSecret to true');
    if (creating && c.UseExistingClientSecret) refuse('There is no existing client secret to use when creating an authenticate-oidc action');
    if (!c.ClientSecret && !c.UseExistingClientSecret) refuse('A client secret must be specified, or UseExistingClientSecret set to true when modifying');
  }
}

function hideSecrets(actions: Action[] | undefined): void {
  for (const a of actions ?? []) if (a.AuthenticateOidcConfig) delete a.AuthenticateOidcConfig.ClientSecret;
}

function refuse(message: string): never {
  throw new InvalidLoadBalancerActionException({ message, $metadata: { httpStatusCode: 400 } });
}
