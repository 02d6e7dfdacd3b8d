/**
 * 24-hour `HH:MM` as profiles (autoStopAt, autoStartAt) and the cost summary write it: two digits each.
 * One pattern for every place that reads such a time, so config validation and the schedulers agree.
 * (`extend … until 1:30` is typed by people and also takes a one-digit hour; see duration.ts.)
 */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseTimeOfDay(text: string): { hour: number; minute: number } | undefined {
  const m = TIME_OF_DAY.exec(text);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
}
