#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../app/src/cli.ts');
process.exit(await runCli(process.argv.slice(2)));
