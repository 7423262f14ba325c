import { readFile } from 'node:fs/promises';
import type { TlsFiles } from '../config/drainer-config.js';
import { ConfigError } from '../errors/drainer-error.js';

export interface TlsBuffers {
  readonly ca: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

async function read(path: string, key: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new ConfigError(`cannot read ${key} file ${path} (${(err as NodeJS.ErrnoException).code ?? 'EIO'})`, {
      key,
      file: path,
    });
  }
}

/** Reads the PEM files of a `[security]` section (the Go rule: no CA, no TLS). */
export async function readTlsFiles(files: TlsFiles | undefined, section: string): Promise<TlsBuffers | undefined> {
  if (files === undefined) return undefined;
  const ca = await read(files.ca, `${section}.ssl-ca`);
  const cert = files.cert === undefined ? undefined : await read(files.cert, `${section}.ssl-cert`);
  const key = files.key === undefined ? undefined : await read(files.key, `${section}.ssl-key`);
  return { ca, ...(cert === undefined ? {} : { cert }), ...(key === undefined ? {} : { key }) };
}
