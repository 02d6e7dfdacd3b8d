import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AwsActionError } from './errors.js';

/** Reading a build log failed; `cause` keeps the SDK exception. */
export class BuildLogsError extends AwsActionError {
  override readonly name = 'BuildLogsError';
}

/** The end of a CodeBuild log in CloudWatch Logs, for failure reports. */
export class BuildLogs {
  constructor(private readonly logs: CloudWatchLogsClient) {}

  /** Last `lines` lines, oldest first, without trailing newlines; [] when the stream is empty. */
  async tail(group: string, stream: string, lines = 20): Promise<string[]> {
    try {
      const out = await this.logs.send(
        new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: lines, startFromHead: false }),
      );
      return (out.events ?? [])
        .map((e) => (e.message ?? '').replace(/\s+$/, ''))
        .filter((line) => line.length > 0)
        .slice(-lines);
    } catch (err) {
      throw new BuildLogsError(`reading the build log ${group}/${stream}`, err);
    }
  }
}

/** CloudWatch console link to one log stream (the same form CodeBuild's own deepLink uses). */
export function logConsoleUrl(region: string, group: string, stream: string): string {
  const enc = (s: string) => encodeURIComponent(s);
  return `https://console.aws.amazon.com/cloudwatch/home?region=${enc(region)}#logEvent:group=${enc(group)};stream=${enc(stream)}`;
}
