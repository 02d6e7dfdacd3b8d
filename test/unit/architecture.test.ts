import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IConfiguration } from 'dependency-cruiser';
import { cruiseTypeScript } from '../support/architecture/cruise-typescript.js';
import { describeViolations } from '../support/architecture/violations.js';

// The dependency rule (docs/architecture.md) lives in .dependency-cruiser.cjs; this test is what runs it.
const root = fileURLToPath(new URL('../../', import.meta.url));
const config = createRequire(import.meta.url)(`${root}.dependency-cruiser.cjs`) as IConfiguration;

describe('architecture', () => {
  it('app/src imports point one way, without cycles, and only the adapters import the AWS SDK, Bolt and Octokit', async () => {
    const result = await cruiseTypeScript(root, ['app/src'], config);
    expect(result.summary.totalCruised, 'dependency-cruiser read the sources').toBeGreaterThan(200);
    expect(describeViolations(result), 'imports that break .dependency-cruiser.cjs').toEqual([]);
  });
});
