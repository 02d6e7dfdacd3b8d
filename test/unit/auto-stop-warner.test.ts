import { describe, expect, it } from 'vitest';
import { RecordingNotifier, sampleRecord } from '../support/sample-record.js';
import { DEFAULT_PROFILES } from '../../app/src/environments/profiles.js';
import type { EnvironmentRecord } from '../../app/src/environments/record.js';
import { startAutoStopWarner, stopToWarnAbout, warnUpcomingStops } from '../../app/src/schedules/auto-stop-warner.js';

/** The two store methods the warner uses, in memory. */
class MemoryStore {
  readonly records: EnvironmentRecord[] = [];
  readonly marks: string[] = [];
  async list() {
    return this.records.map((r) => structuredClone(r));
  }
  async markOnce(kind: string, id: string) {
    const key = `${kind}/${id}`;
    if (this.marks.includes(key)) return false;
    this.marks.push(key);
    return true;
  }
}

const rec = (name: string, over: Partial<EnvironmentRecord> = {}) => sampleRecord(name, over);

const TZ = 'Asia/Seoul';
const dev = DEFAULT_PROFILES.dev; // 20:00 daily
const at = (iso: string) => new Date(iso);

describe('stopToWarnAbout', () => {
  it.each([
    ['16 minutes before', rec('a'), '2025-06-02T10:44:00Z', undefined],
    ['15 minutes before', rec('a'), '2025-06-02T10:45:00Z', '2025-06-02T11:00:00.000Z'],
    ['1 minute before', rec('a'), '2025-06-02T10:59:00Z', '2025-06-02T11:00:00.000Z'],
    ['already stopped', rec('a', { desired: 'stopped', status: 'stopped' }), '2025-06-02T10:50:00Z', undefined],
    ['stopping', rec('a', { status: 'stopping' }), '2025-06-02T10:50:00Z', undefined],
    ['postponed to 22:00: no warning at 19:50', rec('a', { autoStopPostponedUntil: '2025-06-02T13:00:00.000Z' }), '2025-06-02T10:50:00Z', undefined],
    ['postponed to 22:00: warned at 21:50', rec('a', { autoStopPostponedUntil: '2025-06-02T13:00:00.000Z' }), '2025-06-02T12:50:00Z', '2025-06-02T13:00:00.000Z'],
  ])('%s', (_label, record, now, expected) => {
    expect(stopToWarnAbout(record, dev, TZ, at(now))?.toISOString()).toBe(expected);
  });

  it('never warns a profile without auto-stop', () => {
    expect(stopToWarnAbout(rec('s', { profile: 'stage' }), DEFAULT_PROFILES.stage, TZ, at('2025-06-02T10:50:00Z'))).toBeUndefined();
  });
});

describe('warnUpcomingStops', () => {
  it('warns each environment once per stop, and again for a postponed stop', async () => {
    // Prepare
    const store = new MemoryStore();
    store.records.push(rec('feature-x'), rec('stage-1', { profile: 'stage' }));
    const notifier = new RecordingNotifier();
    const deps = { store, notifier, profileOf: (r: EnvironmentRecord) => DEFAULT_PROFILES[r.profile], timezone: TZ };

    // Act: 19:46, 19:50 and 19:55 in Seoul — three passes, one warning.
    expect(await warnUpcomingStops(deps, at('2025-06-02T10:46:00Z'))).toEqual(['feature-x']);
    expect(await warnUpcomingStops(deps, at('2025-06-02T10:50:00Z'))).toEqual([]);
    expect(await warnUpcomingStops(deps, at('2025-06-02T10:55:00Z'))).toEqual([]);
    // The user extended to 22:00; at 21:47 the new stop gets its own warning.
    store.records[0] = rec('feature-x', { autoStopPostponedUntil: '2025-06-02T13:00:00.000Z' });
    expect(await warnUpcomingStops(deps, at('2025-06-02T12:47:00Z'))).toEqual(['feature-x']);

    // Assess
    expect(notifier.notices).toEqual([
      { env: 'feature-x', notice: { kind: 'auto-stop-warning', stopAt: '2025-06-02T11:00:00.000Z' } },
      { env: 'feature-x', notice: { kind: 'auto-stop-warning', stopAt: '2025-06-02T13:00:00.000Z' } },
    ]);
    expect(store.marks).toEqual([
      'autostop-warning/feature-x#2025-06-02T11:00:00.000Z',
      'autostop-warning/feature-x#2025-06-02T13:00:00.000Z',
    ]);
  });

  it('runs periodically on an injected clock and stops on abort', async () => {
    const store = new MemoryStore();
    store.records.push(rec('feature-x'));
    const notifier = new RecordingNotifier();
    const controller = new AbortController();
    const clock = () => at('2025-06-02T10:50:00Z');
    const done = startAutoStopWarner(
      { store, notifier, profileOf: () => dev, timezone: TZ },
      { clock, intervalMs: 5, signal: controller.signal },
    );
    await new Promise((r) => setTimeout(r, 30));
    controller.abort();
    await done;
    expect(notifier.notices).toHaveLength(1);
  });
});
