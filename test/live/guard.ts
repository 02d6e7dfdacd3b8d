/**
 * The live smoke test creates real (billed) resources, so it runs only in the account the person
 * running it named: ENVBOT_LIVE_ACCOUNT must equal the account STS reports for the credentials.
 */
export class LiveTestRefused extends Error {
  override readonly name = 'LiveTestRefused';
}

export interface WhoAmI {
  whoAmI(): Promise<{ account: string; arn: string }>;
}

export interface LiveSettings {
  account: string;
  botUrl: string;
  apiToken: string;
}

export async function liveSettings(env: NodeJS.ProcessEnv, identity: WhoAmI): Promise<LiveSettings> {
  const wanted = env.ENVBOT_LIVE_ACCOUNT;
  if (!wanted || !/^\d{12}$/.test(wanted)) {
    throw new LiveTestRefused(
      'refusing to run: set ENVBOT_LIVE_ACCOUNT to the 12-digit id of the AWS account this test may create resources in (it must match your credentials)',
    );
  }
  const { account, arn } = await identity.whoAmI();
  if (account !== wanted) {
    throw new LiveTestRefused(`refusing to run: your credentials (${arn}) belong to account ${account}, but ENVBOT_LIVE_ACCOUNT is ${wanted}`);
  }
  const botUrl = env.ENVBOT_URL;
  const apiToken = env.ENVBOT_API_TOKEN;
  if (!botUrl || !apiToken) {
    throw new LiveTestRefused('refusing to run: set ENVBOT_URL (the deployed bot, e.g. https://envbot.<domain>) and ENVBOT_API_TOKEN (its operator API token)');
  }
  return { account, botUrl: botUrl.replace(/\/$/, ''), apiToken };
}
