import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError } from '@tidb-drainer/core';

/** The Go tool's built-in key (tidb-binlog `pkg/encrypt`), used when env `BINLOG_SECRET_KEY` is not set. */
const DEFAULT_SECRET_KEY_HEX = 'a529b7665997f043a30ac8fadcb51d6aa032c226ab5b7750530b12b8c1a16a48';
const IV_LENGTH = 16;
const SEPARATOR = 0x40; // '@' between the IV and the cipher text

function secretKey(): Buffer {
  const hex = process.env['BINLOG_SECRET_KEY'] ?? DEFAULT_SECRET_KEY_HEX;
  const key = /^[0-9a-fA-F]*$/.test(hex) && hex.length % 2 === 0 ? Buffer.from(hex, 'hex') : Buffer.alloc(0);
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new ConfigError('BINLOG_SECRET_KEY must be 16, 24 or 32 bytes in hex', { key: 'BINLOG_SECRET_KEY' });
  }
  return key;
}

/**
 * Decrypts an `encrypted_password` as the Go drainer does: base64 of IV (16 bytes) + '@' + AES-CFB cipher text,
 * AES-128/192/256 chosen by the key length. `key` is the dotted config key, for the error message.
 */
export function decryptPassword(encoded: string, key: string): string {
  const raw = Buffer.from(encoded, 'base64');
  if (raw.length < IV_LENGTH + 1 || raw[IV_LENGTH] !== SEPARATOR) {
    throw new ConfigError(`${key} is not a valid encrypted password`, { key });
  }
  const secret = secretKey();
  const decipher = createDecipheriv(`aes-${secret.length * 8}-cfb`, secret, raw.subarray(0, IV_LENGTH));
  return Buffer.concat([decipher.update(raw.subarray(IV_LENGTH + 1)), decipher.final()]).toString('utf8');
}

/** Encrypts like `binlogctl -cmd encrypt` (random IV); used by tests and docs to produce `encrypted_password`. */
export function encryptPassword(plain: string): string {
  const secret = secretKey();
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv(`aes-${secret.length * 8}-cfb`, secret, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, Buffer.from([SEPARATOR]), body]).toString('base64');
}
