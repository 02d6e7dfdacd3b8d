import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AwsActionError } from './errors.js';

/** Reading a build log failed; `cause` keeps the SDK exception. */
export class BuildLogsError extends AwsActionError {
  override readonly name = 'BuildLogsError';
}

/** Pages read backwards at most, so a failure report never waits long on a huge log. */
const MAX_PAGES = 5;

/** The end of a CodeBuild log in CloudWatch Logs, for failure reports. */
export class BuildLogs {
  constructor(private readonly logs: CloudWatchLogsClient) {}

  /**
   * Last `lines` lines, oldest first, without trailing newlines; [] when the stream is empty.
   * AWS may answer with a partial or even empty page while older events exist: it keeps paging
   * backwards until it has enough lines or the token stops changing (the start of the stream).
   */
  async tail(group: string, stream: string, lines = 20): Promise<string[]> {
    const collected: string[] = [];
    let token: string | undefined;
    try {
      for (let page = 0; page < MAX_PAGES && collected.length < lines; page++) {
        const out = await this.logs.send(
          new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: lines, startFromHead: false, ...(token && { nextToken: token }) }),
        );
        const text = (out.events ?? []).map((e) => (e.message ?? '').replace(/\s+$/, '')).filter((line) => line.length > 0);
        collected.unshift(...text);
        if (!out.nextBackwardToken || out.nextBackwardToken === token) break;
        token = out.nextBackwardToken;
      }
    } catch (err) {
      throw new BuildLogsError(`reading the build log ${group}/${stream}`, err);
    }
    return collected.slice(-lines);
  }
}

/** CloudWatch console link to one log stream (the same form CodeBuild's own deepLink uses). */
export function logConsoleUrl(region: string, group: string, stream: string): string {
  const enc = (s: string) => encodeURIComponent(s);
  return `https://console.aws.amazon.com/cloudwatch/home?region=${enc(region)}#logEvent:group=${enc(group)};stream=${enc(stream)}`;
}
