import { describe, expect, it } from 'vitest';
import { parseTimeOfDay } from '../../app/src/environments/time-of-day.js';

describe('parseTimeOfDay: profile and cost-summary times', () => {
  it.each([
    ['00:00', { hour: 0, minute: 0 }],
    ['09:05', { hour: 9, minute: 5 }],
    ['23:59', { hour: 23, minute: 59 }],
  ])('%j', (text, expected) => {
    expect(parseTimeOfDay(text)).toEqual(expected);
  });

  it.each(['9:00', '24:00', '12:60', '12:00 ', 'noon', ''])('refuses %j', (text) => {
    expect(parseTimeOfDay(text)).toBeUndefined();
  });
});
