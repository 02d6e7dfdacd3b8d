import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    globalSetup: ['test/support/moto-global-setup.ts'],
    // AWS-emulator tests are I/O bound; a generous timeout keeps a slow shared 2-core CI green.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The SDK's "Node 22 soon" notice would print once per worker; it says nothing about our code.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    maxWorkers: 2,
  },
});
