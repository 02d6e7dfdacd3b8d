import type { EnvironmentRecord } from '../../app/src/environments/record.js';

/** The deployed bot's operator API, as `envbot` (the CLI) uses it. */
export class BotApi {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** Runs one command and waits until the bot's work for it is done. */
  async run(text: string): Promise<{ kind: string; text: string }> {
    const res = await fetch(`${this.url}/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}`, 'x-envbot-wait': 'true', 'x-envbot-user': 'live-smoke-test' },
      body: JSON.stringify({ text }),
    });
    const body = (await res.json()) as { kind?: string; text?: string; error?: string };
    if (body.error) throw new Error(`${text}: ${body.error}`);
    return { kind: body.kind ?? '', text: body.text ?? '' };
  }

  async environment(name: string): Promise<EnvironmentRecord | undefined> {
    const res = await fetch(`${this.url}/api/environments`, { headers: { authorization: `Bearer ${this.token}` } });
    const { environments } = (await res.json()) as { environments: EnvironmentRecord[] };
    return environments.find((e) => e.name === name);
  }
}
