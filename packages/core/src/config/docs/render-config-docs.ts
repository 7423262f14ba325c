import { z } from 'zod';
import type { SinkDefinition } from '../../sdk/define-sink.js';
import { FLAGS, flagEnvNames } from '../flag-table.js';
import { drainerTomlJsonSchema } from '../load-config.js';
import { SECRET_ENV } from '../config-sources.js';
import type { KeyMeta } from '../schema-helpers.js';
import { GO_SYNCER_TO_KEYS } from '../syncer-to-schema.js';

/** A JSON-schema node with the KeyMeta fields `z.toJSONSchema` copies from `.meta()`. */
interface DocNode {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly DocNode[];
  readonly items?: DocNode;
  readonly properties?: Readonly<Record<string, DocNode>>;
  readonly additionalProperties?: boolean | DocNode;
  readonly default?: unknown;
  readonly description?: string;
  readonly flag?: string;
  readonly env?: string;
  readonly defaultText?: string;
  readonly status?: KeyMeta['status'];
  readonly secret?: boolean;
}

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(n: DocNode): string {
  if (n.enum !== undefined) return n.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (n.anyOf !== undefined) {
    const parts = [...new Set(n.anyOf.map(typeOf).filter((t) => t !== 'any'))];
    return parts.length === 0 ? 'integer' : parts.join(' \\| ');
  }
  if (n.type === 'array')
    return `array of ${n.items === undefined ? 'any' : n.items.properties !== undefined ? 'tables' : typeOf(n.items)}`;
  if (n.type === 'object') return n.properties !== undefined ? 'table' : 'table (any keys)';
  if (Array.isArray(n.type)) return n.type.join(' \\| ');
  return typeof n.type === 'string' ? n.type : 'any';
}

function defaultOf(n: DocNode): string {
  if (n.defaultText !== undefined) return `\`${n.defaultText}\``;
  if (n.default === undefined) return '—';
  if (typeof n.default === 'object' && n.default !== null && !Array.isArray(n.default)) return '—';
  return `\`${JSON.stringify(n.default)}\``;
}

function statusNote(n: DocNode): string {
  switch (n.status) {
    case 'extension':
      return ' **(not in the Go drainer)**';
    case 'ignored':
      return ' **(accepted, no effect; warns)**';
    case 'unsupported-when-set':
      return ' **(not supported: error when set)**';
    case undefined:
      return '';
  }
}

/** Renders one table of keys and returns the nested tables (sections) to render after it. */
function section(title: string, path: string, node: DocNode, out: string[]): [string, DocNode][] {
  const nested: [string, DocNode][] = [];
  const rows: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const full = path === '' ? key : `${path}.${key}`;
    const isTable = child.type === 'object' && child.properties !== undefined;
    const isTableArray = child.type === 'array' && child.items?.properties !== undefined;
    const extra = child.additionalProperties;
    const isNamedTables =
      child.type === 'object' &&
      child.properties === undefined &&
      typeof extra === 'object' &&
      extra.properties !== undefined;
    if (isTable || isTableArray) nested.push([full, child]);
    if (isNamedTables) nested.push([`${full}.<name>`, extra]);
    if (isTable && full !== 'syncer.to') continue;
    const where = [
      child.flag === undefined ? '' : `flag \`${child.flag}\``,
      child.env === undefined ? '' : `env \`${child.env}\``,
      child.secret === true ? 'secret (never printed)' : '',
    ]
      .filter((s) => s !== '')
      .join('; ');
    rows.push(
      `| \`${key}\` | ${typeOf(child)} | ${defaultOf(child)} | ${esc(child.description ?? '')}${statusNote(child)}${where === '' ? '' : ` (${where})`} |`,
    );
  }
  if (rows.length > 0)
    out.push(`### ${title}\n`, '| Key | Type | Default | Meaning |', '|---|---|---|---|', ...rows, '');
  return nested;
}

function walk(title: string, path: string, node: DocNode, out: string[]): void {
  for (const [full, child] of section(title, path, node, out)) {
    if (full === 'syncer.to') {
      walk('`[syncer.to]` — generic part', full, child, out);
      continue;
    }
    const isArray = child.type === 'array';
    const target = isArray ? (child.items as DocNode) : child;
    walk(isArray ? `\`[[${full}]]\` (each entry)` : `\`[${full}]\``, full, target, out);
  }
}

function sinkSection(def: SinkDefinition, out: string[]): void {
  let json: DocNode;
  try {
    json = z.toJSONSchema(def.configSchema, { unrepresentable: 'any', io: 'input' }) as DocNode;
  } catch {
    out.push(`### Sink \`${def.type}\`\n`, `${def.description}. (Its schema cannot be described automatically.)`, '');
    return;
  }
  const names = [def.type, ...(def.aliases ?? [])].map((n) => `\`${n}\``).join(', ');
  const rows = Object.entries(json.properties ?? {}).map(
    ([k, n]) =>
      `| \`${k}\` | ${k in GO_SYNCER_TO_KEYS ? '`[syncer.to]` or `[sink]`' : '`[sink]`'} | ${typeOf(n)} | ${defaultOf(n)} | ${esc(n.description ?? '')} |`,
  );
  out.push(`### Sink ${names}\n`, `${def.description}.`, '');
  if (rows.length === 0) out.push('No options.', '');
  else out.push('| Key | Section | Type | Default | Meaning |', '|---|---|---|---|---|', ...rows, '');
}

/**
 * docs/configuration.md, generated from the zod schemas (their `.meta()` descriptions and defaults), the flag
 * table and the sinks' own config schemas. `npm run docs:config` writes it.
 */
export function renderConfigDocs(sinks: readonly SinkDefinition[]): string {
  const out: string[] = [
    '# Configuration reference',
    '',
    "<!-- Generated by `npm run docs:config` from packages/core/src/config (zod schemas, flag table) and the sinks' config schemas. Do not edit by hand. -->",
    '',
    "The drainer reads the Go drainer's `drainer.toml` unchanged: every key of TiDB Binlog v7.1 is accepted with the same",
    'meaning and default, plus a few keys of ours (marked **not in the Go drainer**). See also',
    '[migrating-from-go-drainer.md](migrating-from-go-drainer.md).',
    '',
    '## How settings are combined',
    '',
    'Precedence, lowest first: **defaults < file (`-config`) < environment < command-line flags** (the Go rule, spec §10.1).',
    '',
    '- Every flag can also be given as the environment variable `BINLOG_SERVER_<FLAG>` (upper case, `-` → `_`, e.g.',
    '  `BINLOG_SERVER_PD_URLS`, `BINLOG_SERVER_L`); it applies only when the flag is not on the command line, and it',
    '  overrides the file.',
    `- Secrets: ${SECRET_ENV.map((s) => `\`${s.env}\` sets \`${s.path.join('.')}\``).join(', ')}. They override the file`,
    '  (including an `encrypted_password` in the same section); no flag carries a password.',
    "- Go's environment fallbacks still work: `MYSQL_HOST`, `MYSQL_PORT`, `MYSQL_USER`, `MYSQL_PSWD` fill empty MySQL",
    '  settings, `KAFKA_ADDRS` fills an empty `kafka-addrs`, and `BINLOG_SECRET_KEY` (hex, 16/24/32 bytes) is the key of',
    "  `encrypted_password` (default: the Go tool's built-in key, so values made by `binlogctl -cmd encrypt` work).",
    '- `disable-dispatch`/`enable-dispatch` (and `-detect`): disable flag > disable file > enable flag > enable file > true.',
    '',
    'Checks, all reported at once:',
    '',
    '- **Unknown keys** fail with the nearest valid key suggested (`syncer.txn-bach — did you mean syncer.txn-batch?`),',
    '  also when a key sits in the wrong section (`db-type — did you mean syncer.db-type?`).',
    '- **Missing or invalid values** name the key (`syncer.replicate-do-table[0].tbl-name: missing required value`).',
    '- **Unsupported settings** fail when set to a value that would change what is replicated (relay log,',
    '  loopback control, Oracle); compatibility-only knobs (`enable-dispatch`, `enable-detect`, `load-table-infos`,',
    '  `cache-binlog-count`, `-log-rotate`) are accepted with a warning.',
    '- `[syncer.to]` keys belong to the selected sink and are validated by its own schema. A Go key the selected sink',
    '  does not use (e.g. `host` with `db-type = "kafka"`) is ignored with a warning, as the Go drainer ignores it.',
    '- Secrets are never printed: `drainer config print` and the startup log show `******`.',
    '',
    '## Command line',
    '',
    '```',
    'drainer [flags]                  run (flags as the Go drainer: -flag value, -flag=value, --flag value)',
    "drainer check [flags]            validate the config, reach PD, pumps and TiDB, run the sink's check()",
    'drainer config print-defaults    print a drainer.toml with every default',
    'drainer config print [flags]     print the effective configuration (secrets redacted) and where each value came from',
    '```',
    '',
    '| Flag | Sets | Meaning |',
    '|---|---|---|',
    ...FLAGS.map((f) => {
      const names = [f.name, ...(f.aliases ?? [])].map((n) => `\`-${n}\``).join(', ');
      const env =
        f.path === undefined
          ? ''
          : ` Env: ${flagEnvNames(f)
              .map((e) => `\`${e}\``)
              .join(', ')}.`;
      return `| ${names} | ${f.path === undefined ? '—' : `\`${f.path.join('.')}\``} | ${esc(f.description)}${f.go ? '' : ' **(not in the Go drainer)**'}${f.ignored === true ? ' (ignored)' : ''}.${env} |`;
    }),
    '',
    '## drainer.toml',
    '',
  ];
  walk('Top level', '', drainerTomlJsonSchema(), out);
  out.push(
    '### `[syncer.to]` — sink keys of the Go drainer',
    '',
    'Validated by the selected sink (see the sink sections below); listed here with the sink that uses them.',
    '',
    '| Key | Used by | Meaning |',
    '|---|---|---|',
    ...Object.entries(GO_SYNCER_TO_KEYS).map(
      ([k, v]) =>
        `| \`${k}\` | ${v.usedBy} | ${esc(v.description)}${v.secret === true ? ' (secret, never printed)' : ''} |`,
    ),
    '',
    '## Sinks',
    '',
    "`--sink <name | ./path.js | npm-package>` or `[syncer] db-type` selects the sink. A sink's options come from",
    '`[syncer.to]` (the Go keys) merged with `[sink]` (everything else); a key may not be set in both.',
    '',
  );
  for (const def of sinks) sinkSection(def, out);
  return `${out.join('\n').trimEnd()}\n`;
}
