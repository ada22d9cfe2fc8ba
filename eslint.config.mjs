// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import boundaries from ARCHITECTURE.md: apps -> libs, never libs -> apps, never app -> app,
 * and libraries only through their public entry `@threadline/<lib>`. */
const crossProjectRelative = {
  regex: '^(\\.\\./)+(apps|libs)/',
  message: 'Import other projects through @threadline/<lib>, never by relative path.',
};
const deepLibraryImport = {
  // The SDK's light entry (its configuration side, without the HTTP runtime) is public too.
  group: ['@threadline/*/*', '!@threadline/connector-sdk/config'],
  message:
    "Import a library only through its public entry '@threadline/<lib>' (or '@threadline/connector-sdk/config').",
};
/** Apps talk through the broker or HTTP; only the all-in-one composition root hosts other apps. */
const appImport = {
  group: ['@threadline/app-*'],
  message: 'Only apps/threadline (the all-in-one, ADR 0006) may import another app.',
};
const vendorSdks = [
  '@nestjs/*',
  'amqplib',
  'typeorm',
  'node-opcua',
  'modbus-serial',
  'axios',
  'pg',
  'better-sqlite3',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'libs/contracts/src/generated/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: [crossProjectRelative, deepLibraryImport, appImport] },
      ],
    },
  },
  {
    files: ['apps/threadline/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [crossProjectRelative, deepLibraryImport] }],
    },
  },
  {
    files: ['libs/core/**/*.ts', 'libs/contracts/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            crossProjectRelative,
            deepLibraryImport,
            {
              group: vendorSdks,
              message: 'core and contracts stay free of framework and vendor SDKs.',
            },
          ],
        },
      ],
    },
  },
  {
    // End-to-end tests and benchmarks drive apps from outside, so they may import them.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [deepLibraryImport] }],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'libs/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
