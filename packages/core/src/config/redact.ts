/** Keys whose values are secrets wherever they appear (every password spelling the Go config uses, and ours). */
const SECRET_KEY =
  /(^|[-_])(password|passwd|pswd|secret|token|sasl|credentials?)$|^encrypted_password$|^private-?key$/i;
export const REDACTED = '******';

/** Credentials embedded in URLs (`https://user:pass@host`). */
function redactUrl(text: string): string {
  return text.replace(/(\/\/[^/@:\s]*):[^/@\s]*@/g, `$1:${REDACTED}@`);
}

/**
 * A deep copy with every secret replaced by `******` (empty secrets stay empty, so "no password" is still visible),
 * URL credentials masked, bigints as decimal strings and Maps as objects: safe to print and log.
 */
export function redactSecrets(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key)) return value === '' ? '' : REDACTED;
    return redactUrl(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, key));
  if (value instanceof Map) return redactSecrets(Object.fromEntries(value), key);
  if (typeof value === 'object' && value !== null) {
    if (value instanceof Uint8Array) return SECRET_KEY.test(key) ? REDACTED : `<${value.length} bytes>`;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        SECRET_KEY.test(k) && v !== undefined && v !== '' && typeof v !== 'object' ? REDACTED : redactSecrets(v, k);
    }
    return out;
  }
  return value;
}

/** Pretty JSON of the redacted value (what `drainer config print` shows). */
export function formatRedacted(value: unknown): string {
  return JSON.stringify(redactSecrets(value), null, 2);
}
