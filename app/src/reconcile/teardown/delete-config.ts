import { layerPaths } from '../../environments/config-layers.js';
import type { DownState, Step } from '../steps/step.js';

/** The environment's own config layer (base and profile layers are shared). */
export const deleteConfig: Step<DownState> = {
  name: 'delete-config',
  async run(d, s) {
    await d.params.removeLayer(layerPaths(d.config.ssmPrefix, s.record.profile, s.name).env);
  },
};
