import { readFile } from 'node:fs/promises';
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from '../errors/drainer-error.js';

export type TomlTable = Record<string, unknown>;

/**
 * Parses TOML text. Integers beyond 2^53 (TSOs in `initial-commit-ts`, `ignore-txn-commit-ts`) come back as
 * `bigint`; smaller ones as numbers. Syntax errors name the file, line and column.
 */
export function parseToml(text: string, file = '<inline>'): TomlTable {
  try {
    return parse(text, { integersAsBigInt: 'asNeeded' });
  } catch (err) {
    if (err instanceof TomlError) {
      throw new ConfigError(`${file}:${err.line}:${err.column}: invalid TOML: ${err.message.split('\n')[0] ?? ''}`, {
        file,
        line: err.line,
        column: err.column,
      });
    }
    throw err;
  }
}

/** Reads and parses a drainer.toml. A missing or unreadable file is a ConfigError naming it. */
export async function readTomlFile(path: string): Promise<TomlTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new ConfigError(`cannot read config file ${path} (${code})`, { file: path, errno: code });
  }
  return parseToml(text, path);
}
