export * from './errors';
export { readPackageVersion } from './package-version';
export { wholeNumberFromEnv } from './env-number';
