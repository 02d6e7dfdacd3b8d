import type { EnvNotice, Notifier } from '../../app/src/environments/notifier-port.js';
import type { EnvironmentRecord } from '../../app/src/environments/record.js';

/** A valid environment record for tests; `at` sets created/updated/touched times. */
export function sampleRecord<T extends EnvironmentRecord = EnvironmentRecord>(
  name: string,
  over: Partial<T> = {},
  at = '2025-06-01T00:00:00.000Z',
): T {
  return {
    name,
    owner: 'U1',
    branch: name,
    profile: 'dev',
    size: 'xs',
    desired: 'running',
    status: 'ready',
    source: 'slack',
    report: {},
    createdAt: at,
    updatedAt: at,
    touchedAt: at,
    version: 1,
    ...over,
  } as T;
}

/** Records every notice the core emits (our own port, not a mock of a library). */
export class RecordingNotifier implements Notifier {
  readonly notices: { env: string; notice: EnvNotice }[] = [];
  async notify(record: EnvironmentRecord, notice: EnvNotice): Promise<void> {
    this.notices.push({ env: record.name, notice });
  }
  kinds(env: string): string[] {
    return this.notices.filter((n) => n.env === env).map((n) => n.notice.kind);
  }
}
