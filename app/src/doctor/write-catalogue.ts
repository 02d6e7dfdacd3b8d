import { readFileSync, writeFileSync } from 'node:fs';
import { renderCatalogue, TABLE_END, TABLE_START } from './catalogue-markdown.js';

/** Rewrites the generated tables of docs/aws-behaviours.md from aws-operations.ts. */
const path = new URL('../../../docs/aws-behaviours.md', import.meta.url);
const doc = readFileSync(path, 'utf8');
const start = doc.indexOf(TABLE_START);
const end = doc.indexOf(TABLE_END);
if (start < 0 || end < start) throw new Error(`docs/aws-behaviours.md lacks the markers ${TABLE_START} … ${TABLE_END}`);
writeFileSync(path, `${doc.slice(0, start + TABLE_START.length)}\n${renderCatalogue()}${doc.slice(end)}`);
