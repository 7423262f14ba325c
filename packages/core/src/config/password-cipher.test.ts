import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/drainer-error.js';
import { decryptPassword, encryptPassword, secretKeyFromEnv } from './password-cipher.js';

/** CFB with a full-block segment (Go's cipher.NewCFBEncrypter) built by hand from AES-ECB: an independent oracle. */
function goCfbEncrypt(key: Buffer, iv: Buffer, plain: Buffer): Buffer {
  const ecb = (block: Buffer): Buffer => {
    const c = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
    c.setAutoPadding(false);
    return Buffer.concat([c.update(block), c.final()]);
  };
  const out = Buffer.alloc(plain.length);
  let prev = iv;
  for (let off = 0; off < plain.length; off += 16) {
    const ks = ecb(prev);
    const chunk = plain.subarray(off, off + 16);
    for (let i = 0; i < chunk.length; i++) out[off + i] = (chunk[i] ?? 0) ^ (ks[i] ?? 0);
    prev = out.subarray(off, off + 16);
  }
  return out;
}

describe('encrypted_password (Go pkg/encrypt format)', () => {
  const key = secretKeyFromEnv({});

  it('decrypts base64(iv + "@" + AES-CFB) made independently', () => {
    const iv = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
    const plain = Buffer.from('a password longer than one AES block');
    const text = Buffer.concat([iv, Buffer.from('@'), goCfbEncrypt(key, iv, plain)]).toString('base64');
    expect(decryptPassword(text, key, 'k')).toBe(plain.toString());
  });

  it('round-trips and uses a fresh IV each time', () => {
    const a = encryptPassword('pw', key);
    expect(a).not.toBe(encryptPassword('pw', key));
    expect(decryptPassword(a, key, 'k')).toBe('pw');
  });

  it('honours BINLOG_SECRET_KEY (16/24/32 bytes hex) and rejects other lengths', () => {
    const k16 = secretKeyFromEnv({ BINLOG_SECRET_KEY: '00112233445566778899aabbccddeeff' });
    expect(k16.length).toBe(16);
    expect(decryptPassword(encryptPassword('x', k16), k16, 'k')).toBe('x');
    expect(() => secretKeyFromEnv({ BINLOG_SECRET_KEY: 'abcd' })).toThrow(ConfigError);
  });

  it('rejects text without the separator', () => {
    expect(() => decryptPassword(Buffer.alloc(20, 1).toString('base64'), key, 'syncer.to.encrypted_password')).toThrow(
      /syncer.to.encrypted_password/,
    );
  });
});
