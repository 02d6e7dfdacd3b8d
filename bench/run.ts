import { mkdirSync, writeFileSync } from 'node:fs';
import { startMoto } from '../app/src/local/moto-process.js';
import { benchCostSummary, type BenchResult } from './cost-summary.bench.js';
import { benchAck } from './ack.bench.js';
import { benchScale, benchThrottled, benchUpAndResume } from './engine.bench.js';

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
  { title: 'Time to acknowledge', run: (e) => benchAck(e, 200, 2000) },
  { title: 'Control-plane overhead of up and resume', run: (e) => benchUpAndResume(e, 100) },
  { title: 'Scale: 1,000 environments', run: (e) => benchScale(e, 1000) },
  { title: 'Cost summary: 1,000 environments × 30 days', run: () => benchCostSummary() },
  { title: 'Throughput under throttling', run: (e) => benchThrottled(e, 90, 0.1) },
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
  let current = '';
  for (const r of all) {
    if (r.section !== current) process.stdout.write(`\n${(current = r.section)}\n`);
    process.stdout.write(`  ${r.name.padEnd(width)}  ${String(r.value).padStart(9)} ${r.unit}\n`);
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results: all }, null, 2)}\n`);
  process.stdout.write('\nwritten: bench/results/latest.json\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
