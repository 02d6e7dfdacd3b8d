import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentStore } from '../../app/src/environments/store-port.js';
import { SlackTestBot } from '../support/slack-signing.js';

// Failures, and Slack's 3-second deadline. The front end acknowledges before it touches AWS, so a
// slow or failing AWS never costs the acknowledgement. Nothing here measures time: a "slow" store
// simply does not answer until the test lets it, so an ack that waited for AWS would never arrive.

/** The real store behind a switch: open, closed (every call waits), or failing. */
class StoreSwitch {
  mode: 'open' | 'closed' | 'failing' = 'open';
  waiting = 0;
  private release: () => void = () => {};
  private gate: Promise<void> = Promise.resolve();

  close(): void {
    this.mode = 'closed';
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.mode = 'open';
    this.release();
  }

  wrap(store: EnvironmentStore): EnvironmentStore {
    return new Proxy(store, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (this.mode === 'failing') throw new Error('connect ETIMEDOUT dynamodb.us-east-1.amazonaws.com');
          if (this.mode === 'closed') {
            this.waiting++;
            await this.gate;
            this.waiting--;
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }
}

describe('slack answers within the deadline when AWS is slow or failing', () => {
  const aws = new StoreSwitch();
  let bot: SlackTestBot;
  beforeAll(async () => {
    bot = await SlackTestBot.start({ label: 'sldead', wrapStore: (s) => aws.wrap(s) });
  });
  afterAll(async () => {
    aws.open();
    await bot?.close();
  });

  it('acks /env up while the store hangs, and finishes the work once it answers', async () => {
    aws.close();
    const ack = await bot.command('U1', 'up slow-env');
    expect(ack.status).toBe(200);
    expect(ack.json.text).toBe('Working on /env up slow-env…');
    expect(aws.waiting).toBeGreaterThan(0);
    expect(bot.responses(ack.responsePath)).toEqual([]);

    aws.open();
    await bot.settle();
    expect(bot.responses(ack.responsePath)[0]!.text).toContain('Bringing up *slow-env*');
    expect(await bot.engine.store.get('slow-env')).toMatchObject({ status: 'ready' });
  });

  it('acks buttons and Home while the store hangs', async () => {
    aws.close();
    const click = await bot.click('U1', 'env_stop', 'slow-env', { kind: 'message', channel: 'C1', ts: '1700000000.000001' });
    const home = await bot.homeOpened('U1');
    expect([click.status, home.status]).toEqual([200, 200]);
    expect(aws.waiting).toBeGreaterThan(0);
    aws.open();
    await bot.settle();
    expect(bot.responses(click.responsePath)[0]!.text).toContain('Stopping *slow-env*');
    expect(bot.stub.callsOf('views.publish')).toHaveLength(1);
  });

  it('reports a failing AWS to the user instead of timing out, and leaves no half-made message', async () => {
    bot.stub.reset();
    aws.mode = 'failing';
    const ack = await bot.command('U1', 'up broken-env');
    expect(ack.status).toBe(200);
    expect(ack.json.text).toBe('Working on /env up broken-env…');
    const home = await bot.homeOpened('U1');
    expect(home.status).toBe(200);
    await bot.settle();
    aws.mode = 'open';

    const text =
      'Sorry, `up` failed: connect ETIMEDOUT dynamodb.us-east-1.amazonaws.com. Nothing was changed if this happened before I answered; try again in a moment.';
    expect(bot.responses(ack.responsePath)).toEqual([
      { url: ack.responsePath, response_type: 'ephemeral', replace_original: true, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${text}` } }] },
    ]);
    const placeholder = bot.stub.callsOf('chat.postMessage')[0]!;
    expect(bot.stub.callsOf('chat.delete').map((c) => c.body.channel)).toEqual([placeholder.body.channel]);
    const published = bot.stub.callsOf('views.publish')[0]!.body.view;
    expect(published.blocks[0].text.text).toBe(':warning: Sorry, `list` failed: connect ETIMEDOUT dynamodb.us-east-1.amazonaws.com. Nothing was changed if this happened before I answered; try again in a moment.');
    expect(await bot.engine.store.get('broken-env')).toBeUndefined();
  });
});

describe('a deploy that fails', () => {
  let bot: SlackTestBot;
  beforeAll(async () => {
    // No default image and no build source: the reconciler cannot choose an image and fails.
    bot = await SlackTestBot.start({ label: 'slfail', env: { ENVBOT_DEFAULT_IMAGE: '' } });
  });
  afterAll(async () => bot?.close());

  it('shows the reason and what to do next in the message, and tells the owner in the thread', async () => {
    await bot.command('U1', 'up no-image');
    await bot.settle();
    const ts = (await bot.engine.store.get('no-image'))!.report.slack!.messageTs!;
    const reason =
      'choosing an image for no-image: no image was given and none is configured — run `/env up no-image --image &lt;uri&gt;` or set ENVBOT_DEFAULT_IMAGE';
    const last = bot.stub.callsOf('chat.update').filter((c) => c.body.ts === ts).at(-1)!.body;
    expect(last.blocks.slice(0, 2)).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: `:red_circle: *no-image* failed: ${reason}` } },
      { type: 'section', text: { type: 'mrkdwn', text: '*What to do next:* fix the cause, then run `/env up` again' } },
    ]);
    expect(last.blocks.at(-1).elements.map((e: { action_id: string; text: { text: string } }) => `${e.action_id}:${e.text.text}`)).toEqual([
      'env_start:Retry',
      'env_destroy:Destroy',
    ]);
    const reply = bot.stub.callsOf('chat.postMessage').filter((c) => c.body.thread_ts === ts).at(-1)!.body;
    expect(reply.blocks[0].text.text).toBe(`:red_circle: <@U1> *no-image* failed: ${reason}`);
    expect(await bot.engine.store.get('no-image')).toMatchObject({ status: 'failed' });
  });
});
