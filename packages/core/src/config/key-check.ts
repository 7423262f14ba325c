import { suggestKey } from './edit-distance.js';

/** A JSON-schema node as `z.toJSONSchema` produces it (only the parts we walk). */
export interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean | SchemaNode;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
}

export interface UnknownKey {
  /** Dotted path as written in the file, with `[i]` for array entries (`syncer.replicate-do-table[0].db-nam`). */
  readonly path: string;
  readonly suggestion?: string;
}

export interface KeyCheckOptions {
  /** Dotted paths (no indices) whose children are checked elsewhere (sink sections). */
  readonly skipChildrenOf?: ReadonlySet<string>;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Every dotted key path the schema knows (arrays and records are walked with `[]`/`*` left out). */
export function knownKeyPaths(schema: SchemaNode, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix === '' ? k : `${prefix}.${k}`;
    out.push(path);
    const inner = child.items ?? child;
    out.push(...knownKeyPaths(inner, path));
  }
  return out;
}

/**
 * Finds keys the schema does not know, anywhere in `raw`, and suggests the nearest valid key: first among the
 * siblings (typos), then anywhere in the file by leaf name (a key put in the wrong section).
 */
export function findUnknownKeys(raw: unknown, schema: SchemaNode, options: KeyCheckOptions = {}): UnknownKey[] {
  const all = knownKeyPaths(schema);
  const out: UnknownKey[] = [];
  const walk = (value: unknown, node: SchemaNode, path: string, plainPath: string): void => {
    if (Array.isArray(value)) {
      const items = node.items;
      if (items !== undefined) value.forEach((v, i) => walk(v, items, `${path}[${i}]`, plainPath));
      return;
    }
    if (!isTable(value)) return;
    if (options.skipChildrenOf?.has(plainPath) === true) return;
    const props = node.properties ?? {};
    const extra = node.additionalProperties;
    for (const [k, v] of Object.entries(value)) {
      const childPath = path === '' ? k : `${path}.${k}`;
      const childPlain = plainPath === '' ? k : `${plainPath}.${k}`;
      const known = props[k];
      if (known !== undefined) {
        walk(v, known, childPath, childPlain);
      } else if (typeof extra === 'object') {
        walk(v, extra, childPath, `${plainPath}.*`);
      } else if (extra === false) {
        out.push({ path: childPath, suggestion: suggest(k, Object.keys(props), plainPath, all) });
      }
    }
  };
  walk(raw, schema, '', '');
  return out;
}

function suggest(key: string, siblings: readonly string[], parent: string, all: readonly string[]): string | undefined {
  const near = suggestKey(key, siblings);
  if (near !== undefined) return parent === '' ? near : `${parent}.${near}`;
  const elsewhere = all.filter((p) => p.split('.').at(-1) === key);
  return elsewhere.length === 1 ? elsewhere[0] : undefined;
}

/** One line per unknown key: `syncer.txn-bach — did you mean syncer.txn-batch?` */
export function describeUnknownKeys(keys: readonly UnknownKey[]): string {
  return keys
    .map((k) => `  ${k.path}${k.suggestion === undefined ? '' : ` — did you mean ${k.suggestion}?`}`)
    .join('\n');
}
