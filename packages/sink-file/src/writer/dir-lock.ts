import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SinkError } from '@tidb-drainer/core/sdk';

/**
 * The directory's `.lock` file, so two writers never append to the same binlog directory. Go holds flock(2) on it;
 * Node has no flock, so the file holds the owner's pid and is created exclusively. A lock left by a dead process
 * (kill -9) or an empty one (left by the Go drainer, whose flock died with it) is taken over.
 */
export class DirLock {
  private held = false;

  constructor(readonly dir: string) {}

  get path(): string {
    return join(this.dir, '.lock');
  }

  async acquire(): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await open(this.path, 'wx', 0o600);
        try {
          await fh.writeFile(`${process.pid}\n`);
        } finally {
          await fh.close();
        }
        this.held = true;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw SinkError.fatal('E_FILE_LOCK', `cannot create ${this.path}`, err, { file: this.path });
        }
      }
      const owner = Number((await readFile(this.path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw SinkError.fatal(
          'E_FILE_LOCKED',
          `binlog directory ${this.dir} is locked by process ${owner}`,
          undefined,
          { file: this.path, pid: owner },
        );
      }
      await rm(this.path, { force: true });
    }
    throw SinkError.fatal('E_FILE_LOCKED', `cannot take over ${this.path}`, undefined, { file: this.path });
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await rm(this.path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
