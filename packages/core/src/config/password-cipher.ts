import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError } from '../errors/drainer-error.js';

/** The Go tool's built-in key (pkg/encrypt), used when `BINLOG_SECRET_KEY` is unset: same ciphertexts both ways. */
const DEFAULT_SECRET_KEY_HEX = 'a529b7665997f043a30ac8fadcb51d6aa032c226ab5b7750530b12b8c1a16a48';
const IV_BYTES = 16;
const SEPARATOR = 0x40; // '@' between IV and ciphertext, as the Go tool writes it

/** The AES key from `BINLOG_SECRET_KEY` (hex, 16/24/32 bytes) or the Go tool's default key. */
export function secretKeyFromEnv(env: Readonly<Record<string, string | undefined>>): Buffer {
  const hex = env['BINLOG_SECRET_KEY'] ?? '';
  if (hex === '') return Buffer.from(DEFAULT_SECRET_KEY_HEX, 'hex');
  const key = /^([0-9a-fA-F]{2})*$/.test(hex) ? Buffer.from(hex, 'hex') : Buffer.alloc(0);
  if (![16, 24, 32].includes(key.length)) {
    throw new ConfigError('BINLOG_SECRET_KEY must be 16, 24 or 32 bytes written as hex', { key: 'BINLOG_SECRET_KEY' });
  }
  return key;
}

function algorithm(key: Buffer): string {
  return `aes-${key.length * 8}-cfb`;
}

/** `binlogctl -cmd encrypt`: base64(IV + '@' + AES-CFB(plaintext)), decryptable by the Go drainer. */
export function encryptPassword(plaintext: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(algorithm(key), key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, Buffer.from([SEPARATOR]), body]).toString('base64');
}

/** Decrypts an `encrypted_password` written by the Go `binlogctl -cmd encrypt` (or by {@link encryptPassword}). */
export function decryptPassword(ciphertextB64: string, key: Buffer, configKey: string): string {
  const raw = Buffer.from(ciphertextB64, 'base64');
  // Buffer.from ignores bad base64 characters; re-encoding tells us whether the text was valid.
  const valid = raw.toString('base64').replace(/=+$/, '') === ciphertextB64.trim().replace(/=+$/, '');
  if (!valid || raw.length < IV_BYTES + 1 || raw[IV_BYTES] !== SEPARATOR) {
    throw new ConfigError(
      `\`${configKey}\`: not a valid encrypted password (expected the output of binlogctl -cmd encrypt)`,
      { key: configKey },
    );
  }
  const decipher = createDecipheriv(algorithm(key), key, raw.subarray(0, IV_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + 1)), decipher.final()]).toString('utf8');
}
