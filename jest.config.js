// Three projects: fast unit tests beside the code, integration/e2e tests against the real
// RabbitMQ and PostgreSQL, and fault tests that stop services (run serially, on their own).
const fs = require('node:fs');
const swcConfig = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const ESM_ONLY = ['hexy'];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcConfig, swcrc: false }],
    // ESM-only packages that node-opcua requires (Node loads them with require(esm), Jest does not).
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: [
      '@swc/jest',
      { ...swcConfig, swcrc: false },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@threadline/connector-sdk/config$': '<rootDir>/libs/connector-sdk/src/config/index.ts',
    '^@threadline/app-(.*)$': '<rootDir>/apps/$1/src',
    '^@threadline/(.*)$': '<rootDir>/libs/$1/src',
  },
  setupFiles: ['reflect-metadata', '<rootDir>/test/support/node-opcua-quiet.ts'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      // Real RabbitMQ and PostgreSQL: generous per-test time, assertions poll with their own limits.
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'],
      testMatch: [
        '<rootDir>/test/integration/**/*.int-spec.ts',
        '<rootDir>/test/e2e/**/*.e2e-spec.ts',
      ],
    },
    {
      ...shared,
      displayName: 'fault',
      setupFilesAfterEnv: ['<rootDir>/test/support/fault-timeout.ts'],
      testMatch: ['<rootDir>/test/fault/**/*.fault-spec.ts'],
    },
  ],
};
