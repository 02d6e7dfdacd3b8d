import type { AwsClients } from '../app/src/aws/clients.js';

/** One AWS call as seen by the benchmark: when it started and ended (ms since epoch). */
export interface CallRecord {
  command: string;
  start: number;
  end: number;
}

export interface Instrument {
  calls: CallRecord[];
  latencyMs: number;
  /** Share of calls answered with ThrottlingException (0…1). */
  throttleRate: number;
  reset(): void;
}

/**
 * Adds a fixed latency (and optionally throttling) to every AWS call and records the calls. It sits
 * inside the SDK's retry loop (finalizeRequest, low priority), so a throttled call is retried by the
 * SDK's own adaptive retry, exactly as against real AWS.
 */
export function instrument(clients: AwsClients, opts: { latencyMs?: number; throttleRate?: number; random?: () => number } = {}): Instrument {
  const state: Instrument = {
    calls: [],
    latencyMs: opts.latencyMs ?? 0,
    throttleRate: opts.throttleRate ?? 0,
    reset() {
      this.calls.length = 0;
    },
  };
  const random = opts.random ?? Math.random;
  const seen = new Set<unknown>();
  for (const client of Object.values(clients) as { middlewareStack?: { add: Function } }[]) {
    // The DynamoDB document client shares the DynamoDB client's stack: instrument each stack once.
    if (!client.middlewareStack || seen.has(client.middlewareStack)) continue;
    seen.add(client.middlewareStack);
    client.middlewareStack.add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        const start = Date.now();
        if (state.latencyMs) await new Promise((r) => setTimeout(r, state.latencyMs));
        if (state.throttleRate && random() < state.throttleRate) {
          state.calls.push({ command: `${context.commandName}(throttled)`, start, end: Date.now() });
          throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 }, $fault: 'client' });
        }
        try {
          return await next(args);
        } finally {
          state.calls.push({ command: context.commandName ?? '?', start, end: Date.now() });
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'benchInstrument' },
    );
  }
  return state;
}

/**
 * The longest chain of calls where each starts after the previous ended: the number of sequential
 * round trips on the critical path (calls that overlap ran in parallel).
 */
export function criticalPath(calls: CallRecord[]): number {
  const sorted = [...calls].sort((a, b) => a.end - b.end);
  const depth: number[] = [];
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    let d = 1;
    for (let j = 0; j < i; j++) if (sorted[j]!.end <= sorted[i]!.start) d = Math.max(d, depth[j]! + 1);
    depth.push(d);
    best = Math.max(best, d);
  }
  return best;
}
