import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

// Tests run against the TypeScript sources, not dist/, so `vitest` needs no build step.
const alias = [
  { find: /^@tidb-drainer\/core$/, replacement: root('./packages/core/src/index.ts') },
  { find: /^@tidb-drainer\/core\/(sdk|codec)$/, replacement: root('./packages/core/src/$1/index.ts') },
  { find: /^@tidb-drainer\/testkit$/, replacement: root('./packages/testkit/src/index.ts') },
  { find: /^@tidb-drainer\/testkit\/conformance$/, replacement: root('./packages/testkit/src/conformance/index.ts') },
  { find: /^@tidb-drainer\/(sink-mysql|sink-kafka|sink-file)$/, replacement: root('./packages/$1/src/index.ts') },
  { find: /^@tidb-drainer\/sink-kafka\/reader$/, replacement: root('./packages/sink-kafka/src/reader/index.ts') },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'examples/src/**/*.test.ts', 'bench/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['packages/*/src/**/*.itest.ts', 'examples/src/**/*.itest.ts', 'test/**/*.itest.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Integration suites share the real servers; files run one at a time so they do not trip over each other.
          fileParallelism: false,
        },
      },
    ],
  },
});
