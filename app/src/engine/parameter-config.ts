import type { Config } from '../config.js';
import { layerPaths, mergeLayers, type EffectiveEntry } from '../environments/config-layers.js';
import type { EnvironmentRecord } from '../environments/record.js';
import { tagsFor } from '../environments/tags.js';
import type { ParameterStore } from '../aws/ssm.js';
import type { ConfigPort } from '../commands/context.js';

/** The `config` verb on Parameter Store: reads all three layers, writes only the env's own. */
export class ParameterConfig implements ConfigPort {
  constructor(
    private readonly params: ParameterStore,
    private readonly config: Config,
  ) {}

  async effective(record: EnvironmentRecord): Promise<EffectiveEntry[]> {
    const paths = layerPaths(this.config.ssmPrefix, record.profile, record.name);
    const [base, profile, env] = await Promise.all([
      this.params.readLayer(paths.base),
      this.params.readLayer(paths.profile),
      this.params.readLayer(paths.env),
    ]);
    return mergeLayers({ base, profile, env });
  }

  async set(record: EnvironmentRecord, key: string, value: string, secret: boolean): Promise<void> {
    await this.params.put(this.nameOf(record, key), value, secret, tagsFor(record, this.config.cluster));
  }

  async unset(record: EnvironmentRecord, key: string): Promise<boolean> {
    return this.params.remove(this.nameOf(record, key));
  }

  private nameOf(record: EnvironmentRecord, key: string): string {
    return `${layerPaths(this.config.ssmPrefix, record.profile, record.name).env}${key}`;
  }
}
