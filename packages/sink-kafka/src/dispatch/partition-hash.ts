import { crc32 } from 'node:zlib';

/**
 * TiCDC's "position inertia" hash (kafka-encodings §5.3): each write XORs the CRC-32 (IEEE) of the concatenation
 * of its parts into the state. Order of writes does not matter; concatenation inside one write does.
 */
export class PositionInertiaHash {
  private h = 0;

  write(...parts: readonly (string | Uint8Array)[]): this {
    let c = 0;
    // zlib.crc32 takes strings as UTF-8 directly: no Buffer per part.
    for (const p of parts) c = crc32(p, c);
    this.h = (this.h ^ c) >>> 0;
    return this;
  }

  /** The unsigned 32-bit state. */
  sum32(): number {
    return this.h >>> 0;
  }

  reset(): this {
    this.h = 0;
    return this;
  }
}
