import { readFileSync } from 'node:fs';

/**
 * Polls `done` every `intervalMs` until it holds or the absolute `deadline` (ms since the epoch) passes. Returns
 * without failing on the deadline: the test's assertions that follow say what was missing.
 */
export async function waitUntil(
  done: () => boolean | Promise<boolean>,
  deadline: number,
  intervalMs: number,
): Promise<void> {
  while (Date.now() < deadline && !(await done())) await new Promise((r) => setTimeout(r, intervalMs));
}

/** The non-empty lines of a JSON-lines file; none while the file does not exist yet. */
export function jsonlLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
  } catch {
    return [];
  }
}
