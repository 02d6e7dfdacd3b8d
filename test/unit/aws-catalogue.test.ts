import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AWS_OPERATIONS } from '../../app/src/doctor/aws-operations.js';
import { renderCatalogue, TABLE_END, TABLE_START } from '../../app/src/doctor/catalogue-markdown.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** lib-dynamodb's document commands are named after the operation they send. */
const DOCUMENT_COMMANDS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  BatchWrite: 'BatchWriteItem',
  TransactWrite: 'TransactWriteItems',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every `new XCommand(` in app/src, as `file: Operation`. */
function operationsInCode(): string[] {
  const found = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'app/src'))) {
    const text = readFileSync(file, 'utf8');
    const usesDocumentClient = text.includes("from '@aws-sdk/lib-dynamodb'");
    for (const [, name] of text.matchAll(/new (\w+)Command\(/g)) {
      const operation = (usesDocumentClient && DOCUMENT_COMMANDS[name!]) || name!;
      found.add(`${basename(file)}: ${operation}`);
    }
  }
  return [...found].sort();
}

describe('docs/aws-behaviours.md lists every AWS operation envbot calls', () => {
  it('has a catalogue entry for each SDK command sent from app/src (same operation, same file)', () => {
    const missing = operationsInCode().filter((entry) => {
      const [file, operation] = entry.split(': ') as [string, string];
      return !AWS_OPERATIONS.some((o) => o.operation === operation && o.caller.split(/,\s*/).some((c) => basename(c) === file));
    });
    expect(missing, 'add these to app/src/doctor/aws-operations.ts, then run npx tsx app/src/doctor/write-catalogue.ts').toEqual([]);
  });

  it('carries the tables generated from the catalogue', () => {
    const doc = readFileSync(join(ROOT, 'docs/aws-behaviours.md'), 'utf8');
    const start = doc.indexOf(TABLE_START);
    const end = doc.indexOf(TABLE_END);
    expect(start, 'markers missing').toBeGreaterThan(-1);
    expect(doc.slice(start + TABLE_START.length, end), 'run npx tsx app/src/doctor/write-catalogue.ts').toBe(`\n${renderCatalogue()}`);
  });

  it('gives every bot operation an IAM need, a source and a test', () => {
    for (const o of AWS_OPERATIONS.filter((x) => x.who === 'bot')) {
      expect(o.iam.length, `${o.operation}`).toBeGreaterThan(0);
      expect(o.source, `${o.operation}`).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(o.test, `${o.operation}`).toMatch(/\S/);
    }
  });
});
