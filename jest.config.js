// Jest runs the TypeScript sources as ES modules (node --experimental-vm-modules), transformed by
// swc: no type check here (`npm run typecheck` does that), so a test file starts in milliseconds.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
  },
];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
  roots: [
    '<rootDir>/adapters',
    '<rootDir>/contracts',
    '<rootDir>/services',
    '<rootDir>/stack',
    '<rootDir>/observability',
    '<rootDir>/schema-registry',
    '<rootDir>/test',
    '<rootDir>/chaos',
    '<rootDir>/bench',
  ],
  modulePathIgnorePatterns: ['<rootDir>/.stack/', '/dist/'],
};

/** @type {import('jest').Config} */
export default {
  // Integration tests wait for brokers, consumers and relays; a project-level timeout is not honoured.
  testTimeout: 180_000,
  projects: [
    // Domain, use cases and pure adapters, with in-memory fakes: no infrastructure.
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '/node_modules/'],
    },
    // Against the real Postgres, Kafka and registry.
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['**/*.int.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
    },
  ],
};
