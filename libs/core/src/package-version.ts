import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version in Threadline's package.json, found by walking up from this file, so it works
 * from the sources and from the build (dist/apps/threadline/src/cli) alike.
 */
export function readPackageVersion(start: string = __dirname): string {
  for (let current = start; ; current = dirname(current)) {
    const file = join(current, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === 'threadline' && typeof manifest.version === 'string') {
        return manifest.version;
      }
    }
    if (dirname(current) === current) return 'unknown';
  }
}
