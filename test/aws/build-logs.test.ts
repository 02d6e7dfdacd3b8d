import { beforeAll, describe, expect, it } from 'vitest';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BuildLogs } from '../../app/src/aws/build-logs.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';

describe('build log tail', () => {
  const clients = emulatorClients();
  const group = `/${uniquePrefix('logs')}/builds`;
  const stream = 'envbot-build/0001';

  beforeAll(async () => {
    await clients.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await clients.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    const start = Date.now() - 60_000;
    await clients.logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        logEvents: Array.from({ length: 30 }, (_, i) => ({ timestamp: start + i, message: `line ${i + 1}\n` })),
      }),
    );
  });

  it('returns the last lines, oldest first, without trailing newlines', async () => {
    expect(await new BuildLogs(clients.logs).tail(group, stream, 3)).toEqual(['line 28', 'line 29', 'line 30']);
  });

  it('returns the whole stream once when it is shorter than asked for (the token stops changing at its start)', async () => {
    const lines = await new BuildLogs(clients.logs).tail(group, stream, 50);
    expect(lines).toHaveLength(30);
    expect(lines[0]).toBe('line 1');
  });

  it('keeps paging backwards when AWS answers with an empty page (documented: pages may be partial or empty)', async () => {
    // Prepare: moto always fills the page. AWS documents that a page "might only be partially full,
    // or even empty" while nextBackwardToken still leads to more; the first answer here is that
    // empty page, and the token it hands out leads to moto's real answer.
    const paging = emulatorClients();
    let calls = 0;
    paging.logs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'GetLogEventsCommand') return next(args);
        calls++;
        const input = args.input as { nextToken?: string };
        if (!input.nextToken) return { output: { events: [], nextBackwardToken: 'b/empty-first-page', nextForwardToken: 'f/x', $metadata: {} }, response: {} } as never;
        if (input.nextToken === 'b/empty-first-page') delete input.nextToken;
        return next(args);
      },
      { step: 'initialize', name: 'emptyFirstPage' },
    );

    // Act
    const lines = await new BuildLogs(paging.logs).tail(group, stream, 3);

    // Assess
    expect(lines).toEqual(['line 28', 'line 29', 'line 30']);
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});
