/**
 * Block Kit as the tests expect it, written out by hand (not taken from the renderers, so a
 * renderer change has to be matched here on purpose).
 */
export const pt = (text: string) => ({ type: 'plain_text', text, emoji: true });
export const md = (text: string) => ({ type: 'mrkdwn', text });
export const sec = (text: string) => ({ type: 'section', text: md(text) });
export const ctx = (text: string) => ({ type: 'context', elements: [md(text)] });

export const openButton = (url: string) => ({ type: 'button', action_id: 'env_open', text: pt('Open'), url });
export const stopButton = (n: string) => ({ type: 'button', action_id: 'env_stop', text: pt('Stop'), value: n });
export const startButton = (n: string, label = 'Start') => ({ type: 'button', action_id: 'env_start', text: pt(label), value: n, style: 'primary' });
export const extendButton = (n: string, label = 'Extend until…') => ({ type: 'button', action_id: 'env_extend', text: pt(label), value: n });
export const destroyButton = (n: string) => ({
  type: 'button',
  action_id: 'env_destroy',
  text: pt('Destroy'),
  value: n,
  style: 'danger',
  confirm: {
    title: pt('Destroy this environment?'),
    text: md(`This deletes *${n}*: its service, load balancer rule, schedules and its own config. It cannot be undone.`),
    confirm: pt('Destroy'),
    deny: pt('Keep it'),
    style: 'danger',
  },
});
