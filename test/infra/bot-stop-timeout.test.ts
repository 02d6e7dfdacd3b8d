import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SHUTDOWN_BUDGET_MS } from '../../app/src/main.js';
import { synthesize } from './support/synth.js';

describe('the bot container', () => {
  it('gets a stop timeout (Fargate max 120 s) longer than the bot\'s own shutdown budget', () => {
    const s = synthesize();
    const stopTimeout = 120;
    expect(SHUTDOWN_BUDGET_MS / 1000).toBeLessThan(stopTimeout);
    s.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'envbot',
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'bot', StopTimeout: stopTimeout })]),
    });
  });
});
