/**
 * A whole number from the environment: `fallback` when unset or blank, otherwise digits within
 * `min`..`max`, or an error naming the variable, the range and what it got.
 */
export function wholeNumberFromEnv(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got '${env[name]}'`);
  }
  return value;
}
