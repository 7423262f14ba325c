import { ControlError, ControlErrorCode } from '../control/control-errors.js';
import { splitGoFlag } from '../cli/go-argv.js';

/** The `-cmd` values of Go's binlogctl (§5.7). */
export const BINLOGCTL_COMMANDS = [
  'pumps',
  'drainers',
  'update-pump',
  'update-drainer',
  'pause-pump',
  'pause-drainer',
  'offline-pump',
  'offline-drainer',
  'generate_meta',
  'encrypt',
] as const;
export type BinlogctlCommand = (typeof BINLOGCTL_COMMANDS)[number];

export interface BinlogctlFlags {
  readonly cmd: string;
  readonly nodeId: string;
  readonly dataDir: string;
  readonly pdUrls: string;
  readonly sslCa: string;
  readonly sslCert: string;
  readonly sslKey: string;
  readonly timeZone: string;
  readonly state: string;
  readonly showOfflineNodes: boolean;
  readonly text: string;
  readonly version: boolean;
  readonly help: boolean;
}

interface FlagSpec {
  readonly name: string;
  readonly field: Exclude<keyof BinlogctlFlags, 'help'>;
  readonly bool?: true;
  readonly def: string;
  readonly usage: string;
}

/** Go binlogctl's flags, names, defaults and usage as `binlogctl -h` prints them. */
export const BINLOGCTL_FLAGS: readonly FlagSpec[] = [
  { name: 'cmd', field: 'cmd', def: 'pumps', usage: `operator: ${BINLOGCTL_COMMANDS.join(', ')}` },
  { name: 'node-id', field: 'nodeId', def: '', usage: 'id of node, used to update some state of node' },
  { name: 'data-dir', field: 'dataDir', def: 'binlog_position', usage: 'meta directory path (generate_meta)' },
  { name: 'pd-urls', field: 'pdUrls', def: 'http://127.0.0.1:2379', usage: 'a comma separated list of PD endpoints' },
  {
    name: 'ssl-ca',
    field: 'sslCa',
    def: '',
    usage: 'Path of file that contains list of trusted SSL CAs for connection with cluster components.',
  },
  {
    name: 'ssl-cert',
    field: 'sslCert',
    def: '',
    usage: 'Path of file that contains X509 certificate in PEM format for connection with cluster components.',
  },
  {
    name: 'ssl-key',
    field: 'sslKey',
    def: '',
    usage: 'Path of file that contains X509 key in PEM format for connection with cluster components.',
  },
  {
    name: 'time-zone',
    field: 'timeZone',
    def: '',
    usage:
      'set time zone if you want save time info in savepoint file, for example `Asia/Shanghai` for CST time, `Local` for local time',
  },
  {
    name: 'state',
    field: 'state',
    def: '',
    usage: "set node's state, can be set to online, pausing, paused, closing or offline.",
  },
  {
    name: 'show-offline-nodes',
    field: 'showOfflineNodes',
    bool: true,
    def: 'false',
    usage: 'include offline nodes when querying pumps/drainers',
  },
  { name: 'text', field: 'text', def: '', usage: 'text to be encrypt when using encrypt command' },
  { name: 'V', field: 'version', bool: true, def: 'false', usage: 'prints version and exit' },
];

export function binlogctlUsage(): string {
  const rows = BINLOGCTL_FLAGS.map(
    (f) =>
      `  -${f.name}${f.bool === true ? '' : ' string'}\n    \t${f.usage}${f.def !== '' && f.bool !== true ? ` (default "${f.def}")` : ''}`,
  );
  return `Usage of binlogctl:\n${rows.join('\n')}`;
}

function parseBool(name: string, v: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw new ControlError(ControlErrorCode.Usage, `invalid boolean value "${v}" for -${name}`, { key: name });
}

/**
 * Go `flag` package rules: `-name value`, `-name=value`, `--name=value`; booleans never take the next argument;
 * unknown flags fail ("flag provided but not defined"). Positional arguments are not used by binlogctl.
 */
export function parseBinlogctlArgs(args: readonly string[]): BinlogctlFlags {
  const out: Record<string, string | boolean> = {};
  for (const f of BINLOGCTL_FLAGS) out[f.field] = f.bool === true ? false : f.def;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') break;
    if (!arg.startsWith('-') || arg === '-') break; // Go stops at the first non-flag argument
    const { name, inline } = splitGoFlag(arg);
    if (name === 'h' || name === 'help') {
      help = true;
      continue;
    }
    const spec = BINLOGCTL_FLAGS.find((f) => f.name === name);
    if (spec === undefined)
      throw new ControlError(ControlErrorCode.Usage, `flag provided but not defined: -${name}`, { key: name });
    if (spec.bool === true) {
      out[spec.field] = inline === undefined ? true : parseBool(name, inline);
    } else if (inline !== undefined) {
      out[spec.field] = inline;
    } else {
      const v = args[i + 1];
      if (v === undefined)
        throw new ControlError(ControlErrorCode.Usage, `flag needs an argument: -${name}`, { key: name });
      out[spec.field] = v;
      i++;
    }
  }
  return { ...(out as unknown as Omit<BinlogctlFlags, 'help'>), help };
}
