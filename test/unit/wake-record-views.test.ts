import { describe, expect, it } from 'vitest';
import { emulatedViewOf, sleepingStateOf } from '../../app/src/wake/record-views.js';
import { sampleRecord } from '../support/sample-record.js';

describe('the door’s view of a record', () => {
  it('maps running, starting, asleep, explicitly stopped and destroyed environments', () => {
    expect(sleepingStateOf(sampleRecord('a', { version: 4 }), {})).toEqual({ name: 'a', version: 4, state: 'running', wakeable: true });
    expect(sleepingStateOf(sampleRecord('b', { status: 'deploying' }), {})).toMatchObject({ state: 'waking' });
    expect(sleepingStateOf(sampleRecord('c', { desired: 'stopped', status: 'stopped', stopReason: 'idle', version: 7 }), {})).toEqual({ name: 'c', version: 7, state: 'asleep', wakeable: true });
    expect(sleepingStateOf(sampleRecord('d', { desired: 'stopped', status: 'stopped', stopReason: 'user' }), { wakeAfterUserStop: false })).toMatchObject({ state: 'asleep', wakeable: false });
    expect(sleepingStateOf(sampleRecord('e', { desired: 'deleted', status: 'deleting' }), {})).toBeUndefined();
    expect(sleepingStateOf(undefined, {})).toBeUndefined();
  });

  it('gives the emulated page only for a running environment', () => {
    expect(emulatedViewOf(sampleRecord('a', { image: 'nginx:alpine' }), [])).toEqual({ name: 'a', branch: 'a', image: 'nginx:alpine', profile: 'dev', config: [] });
    expect(emulatedViewOf(sampleRecord('b', { desired: 'stopped', status: 'stopped' }), [])).toBeUndefined();
  });
});
