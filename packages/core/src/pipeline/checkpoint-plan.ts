import type { DrainerConfig, TlsFiles } from '../config/drainer-config.js';
import { DEFAULT_CHECKPOINT_SCHEMA, DEFAULT_CHECKPOINT_TABLE } from '../checkpoint/mysql-checkpoint-store.js';

/** Where the checkpoint lives, decided as the Go drainer does (spec §7.1). */
export type CheckpointPlan =
  | { readonly kind: 'file'; readonly dataDir: string }
  | {
      readonly kind: 'mysql';
      readonly host: string;
      readonly port: number;
      readonly user: string;
      readonly password: string;
      readonly schema: string;
      readonly table: string;
      readonly tls?: TlsFiles;
      /** True when it is the sink's downstream (type ""), false for an explicit `[syncer.to.checkpoint]` database. */
      readonly downstream: boolean;
    }
  /** The sink stores the checkpoint with its data (ownsCheckpoint): no separate store. */
  | { readonly kind: 'sink' };

const str = (v: unknown, d: string): string => (typeof v === 'string' && v !== '' ? v : d);
const num = (v: unknown, d: number): number => (typeof v === 'number' && v > 0 ? v : d);

function sectionTls(security: unknown): TlsFiles | undefined {
  if (typeof security !== 'object' || security === null) return undefined;
  const s = security as Record<string, unknown>;
  const ca = str(s['ssl-ca'], '');
  if (ca === '') return undefined;
  const cert = str(s['ssl-cert'], '');
  const key = str(s['ssl-key'], '');
  return { ca, ...(cert === '' ? {} : { cert }), ...(key === '' ? {} : { key }), allowedCn: [] };
}

/**
 * `[syncer.to.checkpoint] type`:
 * - `""` → derived from the sink: the MySQL sink (db-type mysql or tidb) → the `checkpoint` table of
 *   `schema` (default tidb_binlog) in the **downstream** (the sink's host/port/user/password/TLS; the checkpoint's
 *   `table` is ignored, as in Go); every other sink → `<data-dir>/savepoint`;
 * - `mysql` / `tidb` → the table on the checkpoint section's own host (127.0.0.1), port (3306), user (root);
 * - `file` (ours) → `<data-dir>/savepoint` whatever the sink.
 * A sink that owns its checkpoint (exactly-once) overrides all of these.
 */
export function planCheckpoint(
  config: DrainerConfig,
  sinkType: string,
  sinkConfig: Readonly<Record<string, unknown>>,
  ownsCheckpoint: boolean,
): CheckpointPlan {
  if (ownsCheckpoint) return { kind: 'sink' };
  const cp = config.checkpoint;
  const schema = cp.schema === '' ? DEFAULT_CHECKPOINT_SCHEMA : cp.schema;
  switch (cp.type) {
    case '':
      if (sinkType !== 'mysql') return { kind: 'file', dataDir: config.dataDir };
      {
        const tls = sectionTls(sinkConfig['security']);
        return {
          kind: 'mysql',
          host: str(sinkConfig['host'], 'localhost'),
          port: num(sinkConfig['port'], 3306),
          user: str(sinkConfig['user'], 'root'),
          password: str(sinkConfig['password'], ''),
          schema,
          table: DEFAULT_CHECKPOINT_TABLE,
          ...(tls === undefined ? {} : { tls }),
          downstream: true,
        };
      }
    case 'mysql':
    case 'tidb':
      return {
        kind: 'mysql',
        host: cp.host === '' ? '127.0.0.1' : cp.host,
        port: cp.port === 0 ? 3306 : cp.port,
        user: cp.user === '' ? 'root' : cp.user,
        password: cp.password,
        schema,
        table: cp.table === '' ? DEFAULT_CHECKPOINT_TABLE : cp.table,
        ...(cp.tls === undefined ? {} : { tls: cp.tls }),
        downstream: false,
      };
    case 'file':
      return { kind: 'file', dataDir: config.dataDir };
    case 'oracle':
      // Rejected when the config is loaded (checkUnsupported); kept for the exhaustive switch.
      throw new RangeError('oracle checkpoints are not supported');
  }
}
