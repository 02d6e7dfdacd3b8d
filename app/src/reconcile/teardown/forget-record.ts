import { notify } from '../status.js';
import type { DownState, Step } from '../steps/step.js';

/** Last: the record goes only when everything it points to is gone (unless it was revived meanwhile). */
export const forgetRecord: Step<DownState> = {
  name: 'forget-record',
  async run(d, s) {
    const latest = await d.store.get(s.name);
    if (latest && latest.desired === 'deleted') await d.store.remove(s.name, latest.version);
    await notify(d, s.record, { kind: 'destroyed', by: s.record.destroyReason ?? 'user' });
  },
};
