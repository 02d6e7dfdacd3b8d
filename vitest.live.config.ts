import { defineConfig } from 'vitest/config';

/**
 * `npm run test:live` only: a real AWS account, never part of `npm test` (vitest.config.ts includes
 * test/**\/*.test.ts; these files end in .live.ts). No emulator is started.
 */
export default defineConfig({
  test: {
    include: ['test/live/**/*.live.ts'],
    testTimeout: 20 * 60_000,
    hookTimeout: 20 * 60_000,
    fileParallelism: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
