import type { FilterConfig } from '../filter/filter-config.js';

/** TLS file paths of a `[security]` section; undefined when `ssl-ca` is empty (the Go rule: no CA, no TLS). */
export interface TlsFiles {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
  readonly allowedCn: readonly string[];
}

/** `[syncer.to.checkpoint]` after the Go defaults and password decryption. Selection happens in the pipeline (§7.1). */
export interface CheckpointConfig {
  /** '' = derive from the sink; 'file' is our extension. */
  readonly type: '' | 'mysql' | 'tidb' | 'oracle' | 'file';
  /** '' = tidb_binlog. */
  readonly schema: string;
  /** '' = checkpoint (honoured only with an explicit type, as in Go). */
  readonly table: string;
  readonly host: string;
  readonly user: string;
  readonly password: string;
  readonly port: number;
  readonly tls?: TlsFiles;
}

/**
 * The validated configuration, camelCase, with defaults applied and secrets decrypted. Sink options stay raw
 * (`sinkSection` + `sinkOptions`) until the sink is known; `buildSinkConfig` validates them with its schema.
 */
export interface DrainerConfig {
  readonly configFile?: string;
  readonly nodeId: string;
  readonly addr: string;
  readonly advertiseAddr: string;
  readonly dataDir: string;
  readonly detectIntervalSec: number;
  readonly pdUrls: readonly string[];
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  readonly logFile: string;
  /** -1n = now (a fresh PD TSO at startup). */
  readonly initialCommitTs: bigint;
  readonly compressor: '' | 'gzip';
  readonly syncedCheckTimeMin: number;
  readonly metricsAddr: string;
  readonly metricsIntervalSec: number;
  readonly pumpAddrs: readonly string[];
  readonly tidbStatusAddrs: readonly string[];
  readonly timezone: string;
  /** 0n = ask PD. */
  readonly clusterId: bigint;
  readonly tls?: TlsFiles;
  /** `--sink` if given, else `[syncer] db-type` (before alias resolution: `pb`, `tidb`… stay as written). */
  readonly sinkName: string;
  readonly syncer: {
    readonly txnBatch: number;
    readonly workerCount: number;
    readonly safeMode: boolean;
    readonly syncDdl: boolean;
    readonly sqlMode?: string;
    readonly batchBytes?: number;
    readonly batchDelayMs?: number;
    /** Go precedence: disable flag > disable file > enable flag > enable file > true. */
    readonly enableDispatch: boolean;
    readonly enableCausality: boolean;
  };
  readonly filter: FilterConfig;
  readonly checkpoint: CheckpointConfig;
  /** `[syncer.to]` without `checkpoint`; `encrypted_password` already decrypted into `password`. */
  readonly sinkSection: Readonly<Record<string, unknown>>;
  /**
   * `[syncer.to.checkpoint]` in the file's spelling with only the keys that were set (empty values dropped so a
   * sink's own defaults apply) and the password decrypted: handed to sinks that declare a `checkpoint` key (the
   * MySQL sink's exactly-once mode keeps the Go checkpoint table itself).
   */
  readonly checkpointSection: Readonly<Record<string, unknown>>;
  /** `[sink]`: options the Go drainer lacks. */
  readonly sinkOptions: Readonly<Record<string, unknown>>;
}
