import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startMoto, type MotoProcess } from '../../app/src/local/moto-process.js';

// One emulator for the whole run; each test file isolates itself with its own resource names
// (see test/support/aws-fixture.ts) so files can run in parallel without resets.
let moto: MotoProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  moto = await startMoto();
  project.provide('motoEndpoint', moto.endpoint);
}

export async function teardown(): Promise<void> {
  await moto?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}
