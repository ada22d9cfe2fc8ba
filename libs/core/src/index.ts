export * from './errors';
export { readPackageVersion } from './package-version';
