import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse, stringify } from 'smol-toml';
import { AbortedError } from '../errors/drainer-error.js';
import type { Checkpoint } from '../sdk/sink.js';
import { CheckpointError } from './checkpoint-store.js';
import type { CheckpointStore } from './checkpoint-store.js';

/** The Go drainer's file name inside data-dir (drainer/checkpoint/file.go). */
export const SAVEPOINT_FILE = 'savepoint';
const TEMP_MARK = '.tmp-';

export interface FileCheckpointStoreOptions {
  /** `data-dir`; the savepoint is `<dataDir>/savepoint`. Created (mode 0700, as the Go drainer does) when missing. */
  readonly dataDir: string;
  /** Test hook: runs after the temp file is written and fsync'd, before the rename (used to simulate a crash). */
  readonly afterTempWrite?: (tempPath: string) => void | Promise<void>;
}

/**
 * `<data-dir>/savepoint` in the Go drainer's TOML form:
 * `consistent = false` / `commitTS = 412361808537191540` / `schema-version = 1234` (no ts-map in file checkpoints).
 * Saves write a temp file in the same directory, fsync it, rename it over the savepoint and fsync the directory,
 * so a crash leaves either the old or the new file. Stale temp files from a crash are removed on the next save.
 */
export class FileCheckpointStore implements CheckpointStore {
  readonly kind = 'file';
  readonly location: string;
  private readonly dir: string;

  constructor(private readonly options: FileCheckpointStoreOptions) {
    this.dir = options.dataDir;
    this.location = join(options.dataDir, SAVEPOINT_FILE);
  }

  async load(signal?: AbortSignal): Promise<Checkpoint | undefined> {
    let text: string;
    try {
      text = await readFile(this.location, { encoding: 'utf8', signal });
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return undefined;
      if (signal?.aborted === true) throw new AbortedError('checkpoint load', err);
      throw this.ioError('cannot read the savepoint', err);
    }
    const cp = this.parse(text);
    return cp.commitTs === 0n ? undefined : cp;
  }

  async save(checkpoint: Checkpoint, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) throw new AbortedError('checkpoint save', signal.reason);
    const text = stringify({
      consistent: checkpoint.consistent,
      commitTS: checkpoint.commitTs,
      'schema-version': BigInt(checkpoint.schemaVersion),
    });
    const temp = `${this.location}${TEMP_MARK}${randomBytes(6).toString('hex')}`;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await this.removeStaleTemps();
      const fh = await open(temp, 'w', 0o644);
      try {
        await fh.writeFile(text, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await this.options.afterTempWrite?.(temp);
      await rename(temp, this.location);
      await this.syncDir();
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw this.ioError('cannot write the savepoint', err, checkpoint.commitTs);
    }
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }

  private parse(text: string): Checkpoint {
    let doc: Record<string, unknown>;
    try {
      doc = parse(text, { integersAsBigInt: true });
    } catch (err) {
      throw new CheckpointError('the savepoint is not valid TOML', { retryable: false, cause: err, details: { file: this.location } });
    }
    const commitTs = doc['commitTS'] ?? 0n;
    const version = doc['schema-version'] ?? 0n;
    const consistent = doc['consistent'] ?? false;
    if (typeof commitTs !== 'bigint' || typeof version !== 'bigint' || typeof consistent !== 'boolean') {
      throw new CheckpointError('the savepoint has a field of the wrong type', {
        retryable: false,
        details: { file: this.location, keys: Object.keys(doc).join(',') },
      });
    }
    return { commitTs, schemaVersion: Number(version), consistent };
  }

  private async removeStaleTemps(): Promise<void> {
    const prefix = `${basename(this.location)}${TEMP_MARK}`;
    for (const name of await readdir(this.dir)) {
      if (name.startsWith(prefix)) await unlink(join(this.dir, name)).catch(() => undefined);
    }
  }

  /** The rename is durable only once the directory entry is; without this a power loss can resurrect the old file. */
  private async syncDir(): Promise<void> {
    const dh = await open(dirname(this.location), 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  }

  private ioError(message: string, err: unknown, commitTs?: bigint): CheckpointError {
    // Transient conditions only; permission or path problems need an operator.
    const retryable = isErrno(err, 'ENOSPC') || isErrno(err, 'EAGAIN') || isErrno(err, 'EBUSY') || isErrno(err, 'EIO');
    return new CheckpointError(message, { retryable, cause: err, details: { file: this.location, commitTs, errno: errnoCode(err) } });
  }
}

function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

function isErrno(err: unknown, code: string): boolean {
  return errnoCode(err) === code;
}
