import { z } from 'zod';

/**
 * Extra facts each config key carries for the generated reference (docs/configuration.md) and for `--help`:
 * the Go flag that sets it, the environment variable, and how far we support it. Stored with zod's `.meta()`, so
 * they travel with the schema and appear in `z.toJSONSchema` output.
 */
export interface KeyMeta {
  readonly description: string;
  /** Go drainer flag (single-dash form as the Go tool prints it). */
  readonly flag?: string;
  readonly env?: string;
  /** Default as shown in the docs when it is not a plain JSON value (bigints, derived values). */
  readonly defaultText?: string;
  /** `extension`: not a Go drainer key (a Go drainer rejects it). `ignored`: accepted for compatibility, no effect. */
  readonly status?: 'extension' | 'ignored' | 'unsupported-when-set';
  /** Holds a secret: never printed. */
  readonly secret?: boolean;
}

export function meta<T extends z.ZodType>(schema: T, m: KeyMeta): T {
  // JSON Schema drops defaults of transformed types (TOML integers): keep them visible in the docs.
  const def = (schema as { def?: { type?: string; defaultValue?: unknown } }).def;
  const d = def?.type === 'default' ? def.defaultValue : undefined;
  const defaultText = m.defaultText ?? (typeof d === 'number' || typeof d === 'bigint' ? String(d) : undefined);
  return schema.meta({ ...m, ...(defaultText === undefined ? {} : { defaultText }) });
}

/** A TOML integer (smol-toml gives `bigint` only for values past 2^53) as a JS number. */
export const tomlInt = z.union([z.number().int(), z.bigint()]).transform((v, ctx) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: 'custom', message: 'integer is too large' });
    return z.NEVER;
  }
  return n;
});

/** A TSO or other int64 (commit ts): always `bigint`. Decimal strings are accepted too (env vars and flags). */
export const tomlInt64 = z
  .union([z.number().int(), z.bigint(), z.string().regex(/^-?\d+$/)])
  .transform((v) => BigInt(v));

/** Comma-separated list as the Go drainer takes it (`pd-urls`, `ignore-schemas`); blanks around items dropped. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
