import { describe, expect, it } from 'vitest';
import { GetParametersByPathCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ssm';
import { AwsActionError } from '../../app/src/aws/errors.js';
import { ParameterStore } from '../../app/src/aws/ssm.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';

const TAGS = [{ key: 'envbot:env', value: 'feature-x' }];

describe('Parameter Store adapter against the emulator', () => {
  const clients = emulatorClients();
  const store = new ParameterStore(clients.ssm);
  const prefix = `/${uniquePrefix('ssm')}`;

  it('reads a layer of more than one page (GetParametersByPath returns at most 10) and tags what it writes', async () => {
    // Prepare
    const layer = `${prefix}/envs/feature-x/`;
    for (let i = 0; i < 12; i++) await store.put(`${layer}KEY_${i}`, `v${i}`, i === 0, TAGS);

    // Act
    const params = await store.readLayer(layer);

    // Assess
    expect(params).toHaveLength(12);
    expect(params.find((p) => p.key === 'KEY_0')).toMatchObject({ secure: true });
    expect(params.find((p) => p.key === 'KEY_0')).not.toHaveProperty('value');
    expect(params.find((p) => p.key === 'KEY_1')).toMatchObject({ secure: false, value: 'v1' });
    const tags = await clients.ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: `${layer}KEY_1` }));
    expect(tags.TagList).toEqual([{ Key: 'envbot:env', Value: 'feature-x' }]);
  });

  it('overwrites a value (Overwrite and Tags cannot go in one PutParameter) and removes a layer 10 names per call', async () => {
    // Prepare
    const layer = `${prefix}/envs/feature-y/`;
    for (let i = 0; i < 11; i++) await store.put(`${layer}K${i}`, 'old', false, TAGS);

    // Act
    await store.put(`${layer}K0`, 'new', false, TAGS);
    const value = (await store.readLayer(layer)).find((p) => p.key === 'K0')?.value;
    const removed = await store.removeLayer(layer);

    // Assess
    expect(value).toBe('new');
    expect(removed).toBe(11);
    const left = await clients.ssm.send(new GetParametersByPathCommand({ Path: layer }));
    expect(left.Parameters ?? []).toEqual([]);
    expect(await store.remove(`${layer}K0`)).toBe(false);
  });

  it('names the parameter when tagging it fails (e.g. the role lacks ssm:AddTagsToResource)', async () => {
    // Prepare: the emulator checks no IAM; the denial AWS would answer is injected for this call.
    const denying = emulatorClients();
    denying.ssm.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'AddTagsToResourceCommand') {
          throw Object.assign(new Error('User is not authorized to perform: ssm:AddTagsToResource'), { name: 'AccessDeniedException' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'denyTagging' },
    );
    const name = `${prefix}/envs/feature-z/KEY`;

    // Act
    const error = await new ParameterStore(denying.ssm).put(name, 'v', false, TAGS).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsActionError);
    expect((error as AwsActionError).message).toContain(`tagging config ${name}`);
    expect((error as AwsActionError).code).toBe('AccessDeniedException');
  });
});
