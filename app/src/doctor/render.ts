import type { CheckResult, Status } from './check.js';

const MARK: Record<Status, string> = { ok: '[ ok ]', warn: '[warn]', fail: '[FAIL]', skip: '[skip]' };

export interface DoctorReport {
  mode: 'local' | 'aws';
  region: string;
  account?: string;
  /** Local mode: which emulator was checked. */
  where?: string;
  checks: CheckResult[];
  /** False when any check failed (warnings and skips do not count). */
  healthy: boolean;
}

export function renderText(report: DoctorReport): string {
  const where = report.mode === 'local' ? (report.where ?? 'local emulator') : `account ${report.account ?? '?'}, ${report.region}`;
  const lines = [`envbot doctor — ${where}`];
  for (const c of report.checks) {
    lines.push(`${MARK[c.status]} ${c.title}`, `       ${c.detail}`);
    if (c.fix && c.status !== 'ok') lines.push(`       what to do: ${c.fix}`);
  }
  const count = (s: Status) => report.checks.filter((c) => c.status === s).length;
  lines.push(`${count('ok')} ok, ${count('warn')} warning(s), ${count('fail')} failed, ${count('skip')} skipped`);
  return `${lines.join('\n')}\n`;
}

export function renderJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
