import { clipMs, intervalMs, type CostWindow, type TaskInterval } from '../environments/task-intervals.js';

/**
 * How long an environment was asleep inside a window (issue 15). An idle sleep starts at the
 * instant the idle-sleep job stopped it (`sleepStarts`, kept by the cost store) and lasts until its
 * next task started (a wake, a `/env start` or the morning schedule), or until `now`. A task still
 * running after the sleep instant (it is draining) shortens nothing: the sleep counts from the
 * later of the sleep instant and that task's stop.
 */
export function asleepSeconds(sleepStarts: readonly string[], intervals: readonly TaskInterval[], window: CostWindow, now: Date): number {
  const tasks = intervals.map((i) => intervalMs(i, now)).sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let countedUntil = -Infinity;
  for (const iso of [...sleepStarts].sort()) {
    const slept = Date.parse(iso);
    if (Number.isNaN(slept)) continue;
    const draining = tasks.filter((t) => t.startMs <= slept && t.endMs > slept).reduce((end, t) => Math.max(end, t.endMs), slept);
    const woke = tasks.find((t) => t.startMs > slept)?.startMs ?? now.getTime();
    // Two sleep instants before one wake (a retried stop) count once.
    const clipped = clipMs(Math.max(draining, countedUntil), Math.min(woke, now.getTime()), window);
    if (clipped) total += clipped.seconds;
    countedUntil = Math.max(countedUntil, woke);
  }
  return total;
}
