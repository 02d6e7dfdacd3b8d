import { describe, expect, it } from 'vitest';
import { RecordingNotifier, sampleRecord } from '../support/sample-record.js';
import type { EnvironmentRecord } from '../../app/src/environments/record.js';
import { decideReap, DEFAULT_REAPER_POLICY, runReaper, type ReaperFields } from '../../app/src/reaper/reaper.js';

type Rec = EnvironmentRecord & ReaperFields;

/** The four store methods the reaper uses, in memory. */
class MemoryStore {
  readonly records = new Map<string, Rec>();
  private readonly once = new Set<string>();
  async list() {
    return [...this.records.values()].map((r) => structuredClone(r));
  }
  async get(name: string) {
    const r = this.records.get(name);
    return r && structuredClone(r);
  }
  async mutate(name: string, change: (r: EnvironmentRecord) => EnvironmentRecord | undefined) {
    const current = this.records.get(name);
    if (!current) return undefined;
    const next = change(structuredClone(current));
    if (!next) return current;
    const stored = { ...next, version: current.version + 1 };
    this.records.set(name, stored);
    return stored;
  }
  async markOnce(kind: string, id: string) {
    const key = `${kind}/${id}`;
    if (this.once.has(key)) return false;
    this.once.add(key);
    return true;
  }
}

const rec = (name: string, over: Partial<Rec> = {}): Rec => sampleRecord<Rec>(name, over, '2025-05-01T00:00:00.000Z');

const NOW = new Date('2025-06-10T00:00:00Z');
const policy = { ...DEFAULT_REAPER_POLICY, idleDays: 7, graceHours: 24 };

describe('decideReap', () => {
  it.each([
    ['touched 6 days ago', rec('a', { touchedAt: '2025-06-04T00:00:00.000Z' }), { action: 'none' }],
    ['untouched 7 days, not warned', rec('a', { touchedAt: '2025-06-03T00:00:00.000Z' }), { action: 'warn', destroyAt: new Date('2025-06-11T00:00:00Z') }],
    ['warned 23 h ago', rec('a', { reaperWarnedAt: '2025-06-09T01:00:00.000Z' }), { action: 'none' }],
    ['warned 24 h ago', rec('a', { reaperWarnedAt: '2025-06-09T00:00:00.000Z' }), { action: 'destroy', reason: 'untouched for 40 days (reaper limit 7)' }],
    ['touched after an old warning → warn again', rec('a', { reaperWarnedAt: '2025-05-01T00:00:00.000Z', touchedAt: '2025-05-20T00:00:00.000Z' }), { action: 'warn', destroyAt: new Date('2025-06-11T00:00:00Z') }],
    ['already being deleted', rec('a', { desired: 'deleted', status: 'deleting' }), { action: 'none' }],
    ['stopped environments are reaped too', rec('a', { desired: 'stopped', status: 'stopped' }), { action: 'warn', destroyAt: new Date('2025-06-11T00:00:00Z') }],
  ])('%s', (_label, record, expected) => {
    expect(decideReap(record, NOW, policy)).toEqual(expected);
  });

  it('never reaps an exempt profile', () => {
    expect(decideReap(rec('s', { profile: 'stage' }), NOW, { ...policy, exemptProfiles: ['stage'] })).toEqual({ action: 'none' });
  });
});

describe('runReaper', () => {
  it('warns once, destroys after the grace period, and tells the environment\'s channels', async () => {
    // Prepare
    const store = new MemoryStore();
    store.records.set('old', rec('old'));
    store.records.set('fresh', rec('fresh', { touchedAt: '2025-06-09T00:00:00.000Z' }));
    const notifier = new RecordingNotifier();
    const destroyed: [string, string][] = [];
    const destroy = async (name: string, reason: string) => {
      destroyed.push([name, reason]);
      await store.mutate(name, (r) => ({ ...r, desired: 'deleted' as const }));
    };

    // Act: first pass warns, a second pass the same day does nothing new.
    expect(await runReaper({ store, notifier, destroy, now: NOW, policy })).toEqual({ warned: ['old'], destroyed: [] });
    expect(await runReaper({ store, notifier, destroy, now: new Date('2025-06-10T12:00:00Z'), policy })).toEqual({ warned: [], destroyed: [] });
    // A day after the warning: destroyed.
    expect(await runReaper({ store, notifier, destroy, now: new Date('2025-06-11T00:00:00Z'), policy })).toEqual({ warned: [], destroyed: ['old'] });
    // Afterwards the record says deleted: nothing more happens.
    expect(await runReaper({ store, notifier, destroy, now: new Date('2025-06-12T00:00:00Z'), policy })).toEqual({ warned: [], destroyed: [] });

    // Assess
    expect(store.records.get('old')?.reaperWarnedAt).toBe('2025-06-10T00:00:00.000Z');
    expect(destroyed).toEqual([['old', 'untouched for 41 days (reaper limit 7)']]);
    expect(notifier.notices).toEqual([
      { env: 'old', notice: { kind: 'reaper-warning', destroyAt: '2025-06-11T00:00:00.000Z' } },
    ]);
  });

  it('a touch after the warning saves the environment', async () => {
    const store = new MemoryStore();
    store.records.set('old', rec('old'));
    const notifier = new RecordingNotifier();
    const destroy = async () => {
      throw new Error('must not be called');
    };
    await runReaper({ store, notifier, destroy, now: NOW, policy });
    await store.mutate('old', (r) => ({ ...r, touchedAt: '2025-06-10T06:00:00.000Z' }));
    expect(await runReaper({ store, notifier, destroy, now: new Date('2025-06-11T01:00:00Z'), policy })).toEqual({ warned: [], destroyed: [] });
  });

  it('one failing environment does not stop the pass', async () => {
    const store = new MemoryStore();
    store.records.set('a', rec('a', { reaperWarnedAt: '2025-06-01T00:00:00.000Z' }));
    store.records.set('b', rec('b', { reaperWarnedAt: '2025-06-01T00:00:00.000Z' }));
    const errors: string[] = [];
    const out = await runReaper({
      store,
      notifier: new RecordingNotifier(),
      destroy: async (name) => {
        if (name === 'a') throw new Error('ECS is throttling');
      },
      now: NOW,
      policy,
      onError: (name) => void errors.push(name),
    });
    expect(out.destroyed).toEqual(['b']);
    expect(errors).toEqual(['a']);
  });
});
