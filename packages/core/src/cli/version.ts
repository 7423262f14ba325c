import { createRequire } from 'node:module';

/** The package version (src/cli and dist/cli are both two levels below the package root). */
export function drainerVersion(): string {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version?: string };
  return pkg.version ?? 'unknown';
}
