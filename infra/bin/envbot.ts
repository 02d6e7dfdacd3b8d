import { App } from 'aws-cdk-lib';
import { buildEnvbotApp } from '../lib/app.js';

// Thin entry: settings come from cdk.json / `-c` context (see infra/lib/config.ts); `-c nag=false`
// skips the cdk-nag check (for a quick look only: the tests always run it).
const app = new App();
const nag = String(app.node.tryGetContext('nag') ?? 'true') !== 'false';
buildEnvbotApp(app, { nag });
