import { randomUUID } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Claim-check storage in a local directory (TiCDC's `file://` claim-check): each oversized message is written
 * as `<uuid>.json` = `{"key": base64 | null, "value": base64}` and made durable before the reference is sent,
 * so a consumer never sees a reference to a file that a crash lost. Files are never deleted by the sink.
 */
export class ClaimCheckStore {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** Stores one message; returns its `file://` URL. */
  async put(key: Uint8Array | null, value: Uint8Array | null): Promise<string> {
    const name = `${randomUUID()}.json`;
    const final = join(this.dir, name);
    const tmp = `${final}.tmp`;
    const body = JSON.stringify({
      key: key === null ? null : Buffer.from(key).toString('base64'),
      value: value === null ? null : Buffer.from(value).toString('base64'),
    });
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, final);
    const dirHandle = await open(this.dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
    return pathToFileURL(final).href;
  }
}
