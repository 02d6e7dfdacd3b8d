import {
  AddTagsToResourceCommand,
  DeleteParametersCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
  DeleteParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { ConfigParameter } from '../environments/config-layers.js';
import type { Tag } from '../environments/tags.js';
import { AwsActionError, isNotFound } from './errors.js';

/**
 * Parameter Store adapter. SecureString values are never decrypted here: the task definition
 * references them by ARN and ECS fetches them at task start.
 */
export class ParameterStore {
  constructor(private readonly ssm: SSMClient) {}

  /** Direct children of `path` (which ends with `/`), paging through all results. */
  async readLayer(path: string): Promise<ConfigParameter[]> {
    const out: ConfigParameter[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.ssm.send(
          new GetParametersByPathCommand({ Path: path, Recursive: false, WithDecryption: false, NextToken: token, MaxResults: 10 }),
        );
        for (const p of page.Parameters ?? []) {
          const secure = p.Type === 'SecureString';
          out.push({
            key: p.Name!.slice(path.length),
            name: p.Name!,
            arn: p.ARN!,
            secure,
            ...(!secure && { value: p.Value ?? '' }),
          });
        }
        token = page.NextToken;
      } while (token);
    } catch (err) {
      throw new AwsActionError(`reading config under ${path}`, err);
    }
    return out;
  }

  async put(name: string, value: string, secure: boolean, tags: Tag[]): Promise<void> {
    try {
      await this.ssm.send(
        new PutParameterCommand({ Name: name, Value: value, Type: secure ? 'SecureString' : 'String', Overwrite: true }),
      );
    } catch (err) {
      throw new AwsActionError(`writing config ${name}`, err);
    }
    // Tags cannot be given together with Overwrite; tag separately so the orphan sweep can find it.
    await this.tag(name, tags);
  }

  private async tag(name: string, tags: Tag[]): Promise<void> {
    try {
      await this.ssm.send(
        new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: name, Tags: tags.map((t) => ({ Key: t.key, Value: t.value })) }),
      );
    } catch (err) {
      throw new AwsActionError(`tagging config ${name}`, err, 'the value is written; writing it again retries the tags');
    }
  }

  /** Deletes one parameter; not found counts as done. Returns whether it existed. */
  async remove(name: string): Promise<boolean> {
    try {
      await this.ssm.send(new DeleteParameterCommand({ Name: name }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw new AwsActionError(`deleting config ${name}`, err);
    }
  }

  /** Deletes every parameter of a layer (teardown), 10 per call as the API allows. */
  async removeLayer(path: string): Promise<number> {
    const params = await this.readLayer(path);
    for (let i = 0; i < params.length; i += 10) {
      await this.ssm.send(new DeleteParametersCommand({ Names: params.slice(i, i + 10).map((p) => p.name) }));
    }
    return params.length;
  }
}
