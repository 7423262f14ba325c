import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { CliIo } from '../cli/cli-io.js';
import { processIo } from '../cli/cli-io.js';
import { drainerVersion } from '../cli/version.js';
import { encryptPassword, secretKeyFromEnv } from '../config/password-cipher.js';
import { ControlError, ControlErrorCode } from '../control/control-errors.js';
import type { NodeAction } from '../control/drainer-node.js';
import type { NodeKind } from '../control/node-registry.js';
import { NodeRegistry } from '../control/node-registry.js';
import { wallClockTso } from '../control/approx-tso.js';
import { tsoToDate } from '../model/commit-ts.js';
import { NodeStates } from '../upstream/node-status.js';
import { createPdEtcdClient } from '../upstream/pd-etcd-client.js';
import type { NodeState, NodeStatus } from '../upstream/node-status.js';
import type { BinlogctlFlags } from './binlogctl-flags.js';
import { BINLOGCTL_COMMANDS, binlogctlUsage, parseBinlogctlArgs } from './binlogctl-flags.js';
import { goLogLine, goTimeString } from './go-log-line.js';
import type { GoLogLevel } from './go-log-line.js';
import type { ActionTls } from './node-action.js';
import { applyNodeAction } from './node-action.js';
import { nodeString } from './node-string.js';

/** Go binlogctl's etcd dial timeout. */
const DIAL_TIMEOUT_MS = 5000;

type Log = (level: GoLogLevel, message: string, fields?: ReadonlyArray<readonly [string, string]>) => void;

/**
 * The `binlogctl` command (tidb-binlog.md §5.7): Go's flags (single or double dash), Go's commands, output as
 * pingcap/log text lines on stdout. Failures log `["fail to execute command"]` at FATAL and exit 1, as Go's
 * `log.Fatal`; bad flags print the usage and exit 2, as Go's flag package. Resolves with the exit code.
 */
export async function runBinlogctl(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const log: Log = (level, message, fields = []) => io.out(goLogLine(level, 'binlogctl', message, fields));
  let flags: BinlogctlFlags;
  try {
    flags = parseBinlogctlArgs(argv);
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n${binlogctlUsage()}`);
    return 2;
  }
  if (flags.help) {
    io.err(binlogctlUsage());
    return 0;
  }
  if (flags.version) {
    io.out(`Release Version: tidb-drainer ${drainerVersion()}`);
    return 0;
  }
  try {
    await execute(flags, io, log);
    return 0;
  } catch (err) {
    log('FATAL', 'fail to execute command', [
      ['command', flags.cmd],
      ['error', err instanceof Error ? err.message : String(err)],
    ]);
    return 1;
  }
}

async function execute(f: BinlogctlFlags, io: CliIo, log: Log): Promise<void> {
  const cmd = BINLOGCTL_COMMANDS.find((c) => c === f.cmd);
  if (cmd === undefined)
    throw new ControlError(
      ControlErrorCode.Usage,
      `invalid cmd ${f.cmd}, should be one of ${BINLOGCTL_COMMANDS.join(', ')}`,
    );
  switch (cmd) {
    case 'encrypt': {
      if (f.text === '') throw new ControlError(ControlErrorCode.Usage, 'need to specify the text to be encrypt');
      log('INFO', 'encrypt text', [['encrypted', encryptPassword(f.text, secretKeyFromEnv(io.env))]]);
      return;
    }
    case 'generate_meta':
      return generateMeta(f, log);
    case 'pumps':
    case 'drainers':
      return withRegistry(f, async (r) => {
        for (const n of await r.list(cmd)) {
          if (n.kind === 'bad') {
            log('WARN', 'cannot parse node status', [
              ['key', n.key],
              ['error', n.error instanceof Error ? n.error.message : String(n.error)],
            ]);
            continue;
          }
          if (!f.showOfflineNodes && n.status.state === 'offline') continue;
          log('INFO', 'query node', [
            ['type', singular(cmd)],
            ['node', nodeString(n.status)],
          ]);
        }
      });
    case 'update-pump':
    case 'update-drainer': {
      const kind: NodeKind = cmd === 'update-pump' ? 'pumps' : 'drainers';
      return withRegistry(f, async (r) => {
        const node = await findNode(r, kind, f.nodeId);
        if (!isState(f.state))
          throw new ControlError(ControlErrorCode.Usage, `state ${f.state} is invalid`, { state: f.state });
        await r.updateNode(kind, { ...node, state: f.state });
        log('INFO', 'update node state success', [
          ['type', singular(kind)],
          ['nodeID', node.nodeId],
          ['state', f.state],
        ]);
      });
    }
    case 'pause-pump':
    case 'pause-drainer':
    case 'offline-pump':
    case 'offline-drainer': {
      const kind: NodeKind = cmd.endsWith('pump') ? 'pumps' : 'drainers';
      const action: NodeAction = cmd.startsWith('pause') ? 'pause' : 'close';
      const tls = await readTls(f);
      return withRegistry(f, async (r) => {
        const node = await findNode(r, kind, f.nodeId);
        const message = await applyNodeAction(node, action, tls);
        log('INFO', 'apply action on node success', [
          ['action', action],
          ['NodeID', node.nodeId],
          ['message', message],
        ]);
      });
    }
  }
}

function singular(kind: NodeKind): string {
  return kind === 'pumps' ? 'pump' : 'drainer';
}

function isState(s: string): s is NodeState {
  return (NodeStates as readonly string[]).includes(s);
}

async function findNode(r: NodeRegistry, kind: NodeKind, nodeId: string): Promise<NodeStatus> {
  if (nodeId === '') throw new ControlError(ControlErrorCode.Usage, 'please specify the node id with -node-id');
  const node = await r.get(kind, nodeId);
  if (node === undefined)
    throw new ControlError(ControlErrorCode.NodeNotFound, `nodeID ${nodeId} not found`, { node: nodeId, kind });
  return node;
}

async function readTls(f: BinlogctlFlags): Promise<ActionTls | undefined> {
  if (f.sslCa === '') return undefined;
  const read = async (path: string, key: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (err) {
      throw new ControlError(ControlErrorCode.Usage, `cannot read -${key} ${path}`, { key, file: path }, err);
    }
  };
  return {
    ca: await read(f.sslCa, 'ssl-ca'),
    ...(f.sslCert === '' ? {} : { cert: await read(f.sslCert, 'ssl-cert') }),
    ...(f.sslKey === '' ? {} : { key: await read(f.sslKey, 'ssl-key') }),
  };
}

async function withRegistry(f: BinlogctlFlags, fn: (r: NodeRegistry) => Promise<void>): Promise<void> {
  const tls = await readTls(f);
  const pdUrls = f.pdUrls
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  const etcd = createPdEtcdClient(pdUrls, tls, DIAL_TIMEOUT_MS);
  try {
    await fn(new NodeRegistry(etcd));
  } finally {
    etcd.close();
  }
}

/**
 * `generate_meta`: `<data-dir>/savepoint` = `commitTS = <ts>` (temp file + rename, 0644). Deviation: there is no PD
 * TSO client, so the TSO is the wall clock's (PD's physical part is the wall clock of its leader).
 */
async function generateMeta(f: BinlogctlFlags, log: Log): Promise<void> {
  const ts = wallClockTso();
  let text = `commitTS = ${ts}\n`;
  if (f.timeZone !== '') {
    const d = tsoToDate(ts);
    const zone = f.timeZone === 'Local' ? undefined : f.timeZone;
    let inZone: string;
    try {
      inZone = d.toLocaleString('sv-SE', { ...(zone === undefined ? {} : { timeZone: zone }), hour12: false });
    } catch (err) {
      throw new ControlError(ControlErrorCode.Usage, `unknown time zone ${f.timeZone}`, { key: 'time-zone' }, err);
    }
    text += `1st physical time: ${goTimeString(d)}\n2nd physical time (${f.timeZone}): ${inZone}\n`;
  }
  await mkdir(f.dataDir, { recursive: true });
  const file = join(f.dataDir, 'savepoint');
  const tmp = `${file}.tmp`;
  await writeFile(tmp, text, { mode: 0o644 });
  await rename(tmp, file);
  log('INFO', 'save meta', [
    ['meta', `commitTS: ${ts}`],
    ['file', file],
  ]);
}
