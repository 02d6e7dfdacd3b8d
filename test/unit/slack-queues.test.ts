import { describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../app/src/slack/progress/channel-pacer.js';
import { LatestOnly } from '../../app/src/slack/progress/latest-only.js';

/** A promise the test resolves by hand: the "Slack call" in flight. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('LatestOnly (coalescing updates of one message)', () => {
  it('sends the first at once and only the latest of a burst afterwards', async () => {
    const sent: number[] = [];
    const gates: ReturnType<typeof deferred>[] = [];
    const q = new LatestOnly<number>({
      send: async (_k, n) => {
        sent.push(n);
        const g = deferred();
        gates.push(g);
        await g.promise;
      },
      order: (n) => n,
      onError: () => {},
    });
    q.push('m', 1);
    q.push('m', 2);
    q.push('m', 3);
    q.push('m', 4);
    gates[0]!.resolve();
    await new Promise((r) => setImmediate(r));
    gates[1]!.resolve();
    await q.idle();
    expect(sent).toEqual([1, 4]);
  });

  it('drops anything older than what was already sent', async () => {
    const sent: number[] = [];
    const q = new LatestOnly<number>({ send: async (_k, n) => void sent.push(n), order: (n) => n, onError: () => {} });
    q.push('m', 5);
    await q.idle();
    q.push('m', 3);
    q.push('m', 5);
    await q.idle();
    expect(sent).toEqual([5, 5]);
  });

  it('keeps keys apart, survives a failed send and pauses between sends of one key', async () => {
    const sent: string[] = [];
    const errors: string[] = [];
    const sleeps: number[] = [];
    let fail = true;
    const q = new LatestOnly<number>({
      send: async (k, n) => {
        if (fail) {
          fail = false;
          throw new Error('ratelimited');
        }
        sent.push(`${k}${n}`);
      },
      order: (n) => n,
      onError: (k) => errors.push(k),
      minIntervalMs: 1000,
      sleep: async (ms) => void sleeps.push(ms),
    });
    q.push('a', 1);
    q.push('a', 2);
    q.push('b', 1);
    await q.idle();
    expect(errors).toEqual(['a']);
    expect(sent.sort()).toEqual(['a2', 'b1']);
    expect(sleeps).toEqual([1000]);
  });
});

describe('ChannelPacer (new messages, ~1 per second per channel)', () => {
  it('posts in order and spaces posts in one channel, not across channels', async () => {
    let now = 0;
    const log: string[] = [];
    const pacer = new ChannelPacer({
      intervalMs: 1000,
      onError: () => {},
      nowMs: () => now,
      sleep: async (ms) => {
        log.push(`sleep ${ms}`);
        now += ms;
      },
    });
    const post = (what: string) => async () => void log.push(`${what}@${now}`);
    pacer.enqueue('C1', post('a'));
    pacer.enqueue('C1', post('b'));
    pacer.enqueue('C2', post('c'));
    await pacer.idle();
    expect(log.filter((l) => !l.startsWith('sleep'))).toEqual(['a@0', 'c@0', 'b@1000']);
    expect(log).toContain('sleep 1000');
  });

  it('a failed post does not block the ones after it', async () => {
    const errors: string[] = [];
    const done: string[] = [];
    const pacer = new ChannelPacer({ intervalMs: 0, onError: (c) => errors.push(c) });
    pacer.enqueue('C1', async () => {
      throw new Error('channel_not_found');
    });
    pacer.enqueue('C1', async () => void done.push('next'));
    await pacer.idle();
    expect(errors).toEqual(['C1']);
    expect(done).toEqual(['next']);
  });
});
