import { stringify } from 'smol-toml';
import { drainerTomlSchema } from '../config/drainer-toml-schema.js';

function prune(value: unknown): Record<string, unknown> {
  return pruneValue(value) as Record<string, unknown>;
}

function pruneValue(value: unknown): unknown {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = pruneValue(v);
  return out;
}

/**
 * `drainer config print-defaults`: every key with its default, as a drainer.toml. Secrets default to "" and stay
 * empty; derived defaults (addr, node-id) print as "" (= derived at startup).
 */
export function defaultsToml(): string {
  return stringify(prune(drainerTomlSchema.parse({})));
}
