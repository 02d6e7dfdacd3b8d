import { readFileSync } from 'node:fs';
import { BOT_SETTING_OUTPUTS } from '../lib/bot-settings.js';

/**
 * Turns `cdk deploy --outputs-file envbot-outputs.json` into a .env for running the bot outside
 * AWS: `npx tsx infra/bin/outputs-to-env.ts envbot-outputs.json > .env`. The four secrets are not
 * outputs: copy them from the Secrets Manager secret named by the botSecretArn output.
 */
const [file = 'envbot-outputs.json', stackName] = process.argv.slice(2);
const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
const outputs = stackName ? all[stackName] : Object.values(all)[0];
if (!outputs) throw new Error(`reading ${file}: no stack outputs found${stackName ? ` for ${stackName}` : ''}`);
for (const [env, key] of Object.entries(BOT_SETTING_OUTPUTS)) {
  if (outputs[key] === undefined) continue;
  // Only the container's entrypoint turns ENVBOT_CONFIG_JSON into a file; outside it, do that by hand.
  if (env === 'ENVBOT_CONFIG_JSON') console.log(`# profiles: save this as envbot.json and set ENVBOT_CONFIG_FILE=envbot.json: ${outputs[key]}`);
  else console.log(`${env}=${outputs[key]}`);
}
console.log(`# SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, GITHUB_TOKEN, GITHUB_WEBHOOK_SECRET: see ${outputs.botSecretArn ?? 'the bot secret'}`);
