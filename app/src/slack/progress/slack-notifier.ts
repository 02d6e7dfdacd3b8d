import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CostPort } from '../../commands/context.js';
import type { ReportTargetsPort } from '../../commands/report-targets.js';
import type { EnvNotice, Notifier } from '../../environments/notifier-port.js';
import type { EnvironmentRecord, ReportTargets } from '../../environments/record.js';
import { renderEnvMessage, type EnvMessageInput } from '../render/env-message.js';
import { renderNoticeReply } from '../render/notice-reply.js';
import { ChannelPacer } from './channel-pacer.js';
import { LatestOnly } from './latest-only.js';

type SlackRef = NonNullable<ReportTargets['slack']>;

export interface SlackNotifierOptions {
  client: webApi.WebClient;
  /** Remembers the message ts it posted (the command layer's narrow port; nothing else). */
  reports: ReportTargetsPort;
  log: Logger;
  costPort?: CostPort;
  now: () => Date;
  /** Minimum pause between two updates of one message (coalescing window). */
  updateIntervalMs?: number;
  /** Minimum pause between two new messages in one channel (Slack: ~1/s). */
  postIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface MainUpdate {
  ref: SlackRef;
  input: EnvMessageInput;
}

/**
 * Reports an environment's life in Slack, in one place: its one message (posted by `up`, stored in
 * `record.report.slack`) is updated in place through every stage, and later events become replies
 * in that message's thread. `notify` only queues work, so a slow Slack never slows the reconciler.
 */
export class SlackNotifier implements Notifier {
  private readonly updates: LatestOnly<MainUpdate>;
  private readonly posts: ChannelPacer;
  /** Messages this process posted for records that had a channel but no message yet. */
  private readonly posted = new Map<string, SlackRef>();
  /** Last content sent per message: an unchanged re-render is not sent again. */
  private readonly lastSent = new Map<string, string>();

  constructor(private readonly o: SlackNotifierOptions) {
    this.updates = new LatestOnly<MainUpdate>({
      send: (_key, u) => this.sendMain(u),
      // Records only get newer; once "destroyed" is shown, nothing may overwrite it.
      order: (u) => (u.input.destroyedBy ? Infinity : u.input.record.version),
      onError: (key, err) => o.log.warn({ err, message: key }, 'updating the Slack message failed'),
      ...(o.updateIntervalMs !== undefined && { minIntervalMs: o.updateIntervalMs }),
      ...(o.sleep && { sleep: o.sleep }),
    });
    this.posts = new ChannelPacer({
      intervalMs: o.postIntervalMs ?? 1100,
      onError: (channel, err) => o.log.warn({ err, channel }, 'posting to Slack failed'),
      ...(o.sleep && { sleep: o.sleep }),
    });
  }

  async notify(record: EnvironmentRecord, notice: EnvNotice): Promise<void> {
    const ref = this.refOf(record);
    if (!ref) return;
    this.updates.push(slotKey(record.name, ref), { ref, input: messageInput(record, notice) });
    if (notice.kind === 'progress' || (notice.kind === 'build' && !notice.failed && notice.phase !== 'COMPLETED')) return;
    this.posts.enqueue(ref.channel, () => this.sendReply(record, notice));
  }

  /** Re-renders the environment's message from a record (after a command changed it). */
  refresh(record: EnvironmentRecord): void {
    const ref = this.refOf(record);
    if (ref) this.updates.push(slotKey(record.name, ref), { ref, input: { record } });
  }

  async idle(): Promise<void> {
    await Promise.all([this.updates.idle(), this.posts.idle()]);
  }

  private refOf(record: EnvironmentRecord): SlackRef | undefined {
    const ref = record.report.slack;
    if (!ref?.channel) return undefined;
    const known = this.posted.get(record.name);
    return ref.messageTs || !known || known.channel !== ref.channel ? ref : known;
  }

  private async sendMain(u: MainUpdate): Promise<void> {
    const name = u.input.record.name;
    const message = renderEnvMessage(u.input);
    const ref = this.refOf(u.input.record) ?? u.ref;
    if (ref.messageTs) {
      const key = slotKey(name, ref);
      const content = JSON.stringify(message);
      if (this.lastSent.get(key) === content) return;
      await this.o.client.chat.update({ channel: ref.channel, ts: ref.messageTs, text: message.text, blocks: message.blocks });
      this.lastSent.set(key, content);
      return;
    }
    // A record that names a channel but has no message yet (e.g. set up outside Slack): post it once.
    const res = await this.o.client.chat.postMessage({ channel: ref.channel, text: message.text, blocks: message.blocks });
    if (!res.ts) return;
    const posted = { channel: res.channel ?? ref.channel, messageTs: res.ts, threadTs: res.ts };
    this.posted.set(name, posted);
    await this.o.reports.remember(name, { slack: posted });
  }

  private async sendReply(record: EnvironmentRecord, notice: EnvNotice): Promise<void> {
    const ref = this.refOf(record);
    const thread = ref?.threadTs ?? ref?.messageTs;
    if (!ref || !thread) return;
    // Stopping and destroying are when people wonder what it cost; ask the cost module then.
    const wantsCost = notice.kind === 'destroyed' || notice.kind === 'stopped';
    const cost = wantsCost ? await this.o.costPort?.costSoFar?.(record.name, this.o.now()).catch(() => undefined) : undefined;
    const reply = renderNoticeReply(record, notice, { ...(cost !== undefined && { cost }) });
    if (!reply) return;
    await this.o.client.chat.postMessage({ channel: ref.channel, thread_ts: thread, text: reply.text, blocks: reply.blocks, unfurl_links: false });
  }
}

/** One coalescing slot per message (a redeploy from another channel gets a new message). */
const slotKey = (name: string, ref: SlackRef) => `${name}@${ref.channel}/${ref.messageTs ?? 'new'}`;

/** What the main message shows for a notice: the record, plus build phase / hint / destruction. */
function messageInput(record: EnvironmentRecord, notice: EnvNotice): EnvMessageInput {
  switch (notice.kind) {
    case 'build':
      return { record: { ...record, status: notice.failed ? record.status : 'building' }, build: { phase: notice.phase, elapsedSeconds: notice.elapsedSeconds } };
    case 'failed':
      return { record, ...(notice.hint && { hint: notice.hint }) };
    case 'destroyed':
      return { record, destroyedBy: notice.by };
    default:
      return { record };
  }
}
