import type { EnvNotice, Notifier } from '../../environments/notifier-port.js';
import type { EnvironmentRecord } from '../../environments/record.js';
import type { StatusPublisher } from './status-publisher.js';

/** The core's notices, shown on the PR of environments that have one (others are ignored). */
export class GitHubNotifier implements Notifier {
  constructor(private readonly publisher: StatusPublisher) {}

  async notify(record: EnvironmentRecord, notice: EnvNotice): Promise<void> {
    if (!record.report.github) return;
    await this.publisher.update(record, { notice });
  }
}
