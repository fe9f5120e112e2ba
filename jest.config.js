// One jest run covers the three tiers (docs/testing.md): unit and integration tests beside the
// code, end-to-end tests under test/e2e against a stack that the e2e project's global setup starts.
/** @type {import('jest').Config['transform']} */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: false, useDefineForClassFields: false },
      },
      module: { type: 'commonjs' },
    },
  ],
};

/** @type {import('jest').Config} */
module.exports = {
  // Integration and e2e tests share one MariaDB and Redis; two workers fit a 2-core machine.
  maxWorkers: 2,
  projects: [
    {
      displayName: 'unit+integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/{gateway,subgraphs,packages,workers,tools,scripts,docker,deploy}/**/*.test.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  testTimeout: 30000,
};
