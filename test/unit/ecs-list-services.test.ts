import { describe, expect, it } from 'vitest';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { EcsServices } from '../../app/src/aws/ecs.js';

/** A client answering ListServices with the given pages, keyed by the nextToken asked for. */
function pagedClient(pages: Record<string, { serviceArns: string[]; nextToken?: string }>) {
  const asked: (string | undefined)[] = [];
  const client = {
    send: async (command: { input: { nextToken?: string } }) => {
      asked.push(command.input.nextToken);
      if (asked.length > 5) throw new Error('ListServices called again and again');
      return pages[command.input.nextToken ?? ''];
    },
  } as unknown as ECSClient;
  return { client, asked };
}

const arn = (name: string) => `arn:aws:ecs:us-east-1:123456789012:service/envbot/${name}`;

describe('listing the services of the cluster (ListServices paging)', () => {
  it('follows nextToken past a page that is empty (AWS may return one), to the end', async () => {
    const { client } = pagedClient({
      '': { serviceArns: [], nextToken: 't1' },
      t1: { serviceArns: [arn('envbot-a')], nextToken: 't2' },
      t2: { serviceArns: [arn('envbot-b')] },
    });
    expect(await new EcsServices(client, 'envbot').listServiceNames()).toEqual(['envbot-a', 'envbot-b']);
  });

  it('stops when the same token comes back (an emulator that ignores paging), instead of looping', async () => {
    const { client, asked } = pagedClient({
      '': { serviceArns: [arn('envbot-a')], nextToken: 't1' },
      t1: { serviceArns: [arn('envbot-a')], nextToken: 't1' },
    });
    expect(await new EcsServices(client, 'envbot').listServiceNames()).toEqual(['envbot-a']);
    expect(asked).toEqual([undefined, 't1']);
  });
});
