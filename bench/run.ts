import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { startMoto } from '../app/src/local/moto-process.js';
import { benchCostSummary, type BenchResult } from './cost-summary.bench.js';
import { benchAck } from './ack.bench.js';
import { benchScale, benchThrottled, benchUpAndResume } from './engine.bench.js';
import { benchIdleCost } from './idle-cost.bench.js';
import { benchWake } from './wake.bench.js';
import { benchTimeModel, TIME_MODEL_ASSUMPTIONS, TIME_MODEL_SOURCES } from './time-model.bench.js';

/**
 * `npm run bench`: every figure envbot promises, measured on this machine against the moto
 * emulator with injected AWS latency. Prints a table and writes bench/results/latest.json.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

interface Section {
  title: string;
  run: (endpoint: string) => Promise<BenchResult[]>;
}

const SECTIONS: Section[] = [
  {
    title: 'Time to acknowledge',
    run: async (e) => [
      ...(await benchAck(e, 200, 10)),
      ...(await benchAck(e, 200, 10, { spreadMs: 1000 })),
      ...(await benchAck(e, 200, 2000)),
    ],
  },
  { title: 'Control-plane overhead of up and resume', run: (e) => benchUpAndResume(e, 100) },
  { title: 'Scale: 1,000 environments', run: (e) => benchScale(e, 1000) },
  { title: 'Cost summary: 1,000 environments × 30 days', run: () => benchCostSummary() },
  { title: 'Throughput under throttling', run: (e) => benchThrottled(e, 90, 0.1) },
  { title: 'Wake on request: first request → start → rule switched back', run: (e) => benchWake(e, 100) },
  { title: 'Idle sleep: cost of a typical dev environment (model, us-east-1 prices)', run: () => benchIdleCost() },
  { title: 'Time to URL and time to stop (modelled from AWS figures)', run: async () => benchTimeModel() },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const moto = await startMoto();
  const all: (BenchResult & { section: string })[] = [];
  try {
    for (const section of SECTIONS.filter((s) => only.length === 0 || only.some((o) => s.title.toLowerCase().includes(o)))) {
      process.stderr.write(`running: ${section.title}…\n`);
      const started = Date.now();
      const results = await section.run(moto.endpoint);
      all.push(...results.map((r) => ({ ...r, section: section.title })));
      process.stderr.write(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
  } finally {
    await moto.stop();
  }
  const width = Math.max(...all.map((r) => r.name.length));
  process.stdout.write(`envbot benchmark — ${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores\n`);
  let current = '';
  for (const r of all) {
    if (r.section !== current) process.stdout.write(`\n${(current = r.section)}\n`);
    process.stdout.write(`  ${r.name.padEnd(width)}  ${String(r.value).padStart(9)} ${r.unit}\n`);
  }
  const context = inContext(all);
  if (context.length) process.stdout.write(`\nIn context (what a user waits for anyway)\n${context.map((l) => `  ${l}`).join('\n')}\n`);
  if (all.some((r) => r.section.startsWith('Time to URL'))) {
    process.stdout.write(`\nTime model: ${TIME_MODEL_ASSUMPTIONS}\nSources:\n${TIME_MODEL_SOURCES.map((l) => `  - ${l}`).join('\n')}\n`);
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results: all }, null, 2)}\n`);
  process.stdout.write('\nwritten: bench/results/latest.json\n');
}

/**
 * envbot's own time next to AWS's: Fargate starts a task in ~60 s (ENI + image pull) and the ALB
 * marks a new target healthy after one passing check (≤ 5 s at a 5 s interval); a CloudFormation-based deploy that waits for service
 * stability adds minutes on top. Those are published typical figures, not measured here.
 */
function inContext(all: BenchResult[]): string[] {
  const find = (prefix: string) => all.find((r) => r.name.startsWith(prefix))?.value;
  const lines: string[] = [];
  // Fargate ~60 s; a new target is healthy after one passing check, at most one 5 s interval.
  const FARGATE_AND_HEALTH_S = 65;
  const up = find('up: command → service steady');
  const resume = find('resume (start after stop) → steady');
  const share = (ms: number) => `${((ms / 1000 / (ms / 1000 + FARGATE_AND_HEALTH_S)) * 100).toFixed(1)}%`;
  if (up !== undefined) lines.push(`up: envbot's own ${(up / 1000).toFixed(1)} s of ~${(up / 1000 + FARGATE_AND_HEALTH_S).toFixed(0)} s to a healthy URL (Fargate ~60 s + first ALB health check ≤5 s) = ${share(up)}`);
  if (resume !== undefined) lines.push(`resume: envbot's own ${(resume / 1000).toFixed(1)} s of ~${(resume / 1000 + FARGATE_AND_HEALTH_S).toFixed(0)} s = ${share(resume)}; no build, no new task definition`);
  const slack = find('Slack ack p99 (AWS 2000 ms/call');
  const github = find('GitHub ack p99 (AWS 2000 ms/call');
  if (slack !== undefined) lines.push(`Slack ack p99 ${slack} ms = ${((slack / 3000) * 100).toFixed(0)}% of Slack's 3 s deadline, with every AWS call at 2 s`);
  if (github !== undefined) lines.push(`GitHub ack p99 ${github} ms = ${((github / 10000) * 100).toFixed(0)}% of GitHub's 10 s deadline (one durable write before answering: the delivery, recorded and de-duplicated)`);
  return lines;
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
