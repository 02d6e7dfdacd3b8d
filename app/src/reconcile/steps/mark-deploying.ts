import { notify, setStatus } from '../status.js';
import type { Step, UpState } from './step.js';

/** Says "deploying" once the image is known, unless the environment is already up or on its way. */
export const markDeploying: Step<UpState> = {
  name: 'deploying',
  async run(d, s) {
    const r = s.record;
    if (r.status === 'ready' || r.status === 'deploying' || r.desired !== 'running') return;
    const deploying = await setStatus(d, s.name, 'deploying', undefined, r);
    if (!deploying) return;
    s.record = deploying;
    await notify(d, deploying, { kind: 'progress', stage: 'deploying' });
  },
};
