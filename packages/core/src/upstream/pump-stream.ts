import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import pino from 'pino';

import type { DrainerError } from '../errors/drainer-error.js';
import { tsoPhysicalMs } from '../model/commit-ts.js';
import { PumpService } from '../protocol/grpc-services.js';
import { decodePullBinlogResp } from '../protocol/pump-codec.js';
import { pullBinlogRespPayload } from '../protocol/pull-binlog-payload.js';
import type { PullBinlogReq } from '../protocol/pump-types.js';
import { decodeTipbBinlog } from '../protocol/tipb-codec.js';
import { Backoff, type BackoffOptions, DEFAULT_BACKOFF, sleep } from './backoff.js';
import type { MergedItem } from './merged-item.js';
import { type MergeSource, Signal } from './merge-source.js';
import { PumpPayloadError } from './upstream-errors.js';
import type { UpstreamMetrics } from './upstream-metrics.js';

/** TLS material from `[security]` (PEM bytes). With `ca` set the stream uses TLS, as the Go drainer does. */
export interface PumpTlsOptions {
  readonly ca: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

export interface PumpStreamOptions {
  readonly nodeId: string;
  /** `host:port` from the pump's etcd record (no scheme). */
  readonly host: string;
  readonly clusterId: bigint;
  /** The pump serves commit ts > this; afterwards the stream resumes from the last commit ts it received. */
  readonly startAfter: bigint;
  readonly tls?: PumpTlsOptions;
  /** `gzip` makes every call gzip-compressed (the only compressor the Go drainer allows). */
  readonly compression?: 'gzip';
  /** Byte budget of received-but-not-taken payloads; above it the gRPC stream is paused. */
  readonly maxBufferedBytes?: number;
  readonly backoff?: BackoffOptions;
  /** Start in the etcd `paused` state (no pulling until `resume()`). */
  readonly paused?: boolean;
  readonly logger?: Logger;
  readonly metrics?: UpstreamMetrics;
}

/**
 * 2 MiB per pump: thousands of typical binlogs of slack between pumps (Go buffers one). More only keeps decoded
 * items alive long enough to be promoted out of the young generation: with 8 pumps, a 16 MiB budget ran 20–25%
 * slower than 1 MiB in the upstream bench.
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 2 * 1024 * 1024;
/**
 * HTTP/2 flow-control window for pump channels. A pull is one long bulk transfer, and the 64 KiB default makes the
 * pump wait for a WINDOW_UPDATE every ~60 small binlogs. It also bounds what the transport holds beyond our byte
 * budget while the stream is paused.
 */
export const PUMP_FLOW_CONTROL_WINDOW = 1024 * 1024;
/** Go logs Recv errors at most every 10 s per pump; so do we. */
const ERROR_LOG_INTERVAL_MS = 10_000;
/** Go logs payloads of 10 MiB and more. */
const LARGE_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** Fixed per-item cost added to the byte count so that floods of tiny fake binlogs are bounded too. */
const ITEM_OVERHEAD_BYTES = 64;

export interface PumpStreamStatus {
  readonly nodeId: string;
  readonly host: string;
  readonly lastCommitTs: bigint;
  readonly bufferedBytes: number;
  readonly bufferedItems: number;
  /** The current PullBinlogs call has heard from the pump (headers or a message); false while redialling. */
  readonly connected: boolean;
  readonly paused: boolean;
  readonly failed: boolean;
}

/**
 * One `PullBinlogs` server stream to one pump (§2.2): request `{clusterID, startFrom: {suffix: 0, offset: last}}`,
 * unlimited receive size, optional gzip and TLS; on any stream error it redials after a jittered backoff from the last
 * commit ts received; while the pump is `paused` in etcd it does not pull. Received payloads are decoded here, so a
 * corrupt one becomes a fatal `PumpPayloadError` naming this pump and the position (never skipped). Items wait in a
 * byte-bounded buffer; when it is full the gRPC stream is paused, so a slow merger slows the pump reads.
 *
 * Owner: whoever created it calls `close()` (idempotent), which ends the call and the channel.
 */
export class PumpStream implements MergeSource {
  readonly nodeId: string;
  readonly host: string;
  private readonly clusterId: bigint;
  private readonly client: grpc.Client;
  private readonly maxBytes: number;
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private readonly metrics: UpstreamMetrics | undefined;
  /** Label children resolved once: per-item label lookups cost more than the observation. */
  private readonly positionGauge: { set(v: number): void } | undefined;
  private readonly recordSize: ((bytes: number) => void) | undefined;
  private readonly abort = new AbortController();
  private readonly itemSignal = new Signal();
  private readonly stateSignal = new Signal();

  private queue: MergedItem[] = [];
  private sizes: number[] = [];
  private head = 0;
  private bytes = 0;
  private last: bigint;
  private call: grpc.ClientReadableStream<Buffer> | undefined;
  private flowPaused = false;
  /** The current call got response headers or a message from the pump (not merely "a call is being attempted"). */
  private connected = false;
  private statePaused: boolean;
  private failure: DrainerError | undefined;
  private closed = false;
  private lastErrorLogAt = 0;
  private wakeScheduled = false;
  private readonly loop: Promise<void>;

  constructor(options: PumpStreamOptions) {
    this.nodeId = options.nodeId;
    this.host = options.host;
    this.clusterId = options.clusterId;
    this.last = options.startAfter;
    this.maxBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
    this.statePaused = options.paused ?? false;
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ pump: options.nodeId });
    this.metrics = options.metrics;
    this.positionGauge = options.metrics?.pumpPosition.labels({ nodeID: options.nodeId });
    this.recordSize = options.metrics?.readBinlogSize.recorder(options.nodeId);
    const creds =
      options.tls === undefined
        ? grpc.credentials.createInsecure()
        : grpc.credentials.createSsl(options.tls.ca, options.tls.key ?? null, options.tls.cert ?? null);
    const channelOptions: grpc.ChannelOptions = {
      // Go sets MaxInt − 4 MiB, i.e. no limit; -1 is grpc-js' "unlimited".
      'grpc.max_receive_message_length': -1,
      'grpc-node.flow_control_window': PUMP_FLOW_CONTROL_WINDOW,
    };
    if (options.compression === 'gzip') channelOptions['grpc.default_compression_algorithm'] = 2;
    this.client = new grpc.Client(options.host, creds, channelOptions);
    this.loop = this.run();
  }

  /** Commit ts of the last binlog received from this pump (the resume point; `PumpPos` in the status API). */
  get lastCommitTs(): bigint {
    return this.last;
  }

  status(): PumpStreamStatus {
    return {
      nodeId: this.nodeId,
      host: this.host,
      lastCommitTs: this.last,
      bufferedBytes: this.bytes,
      bufferedItems: this.queue.length - this.head,
      connected: this.connected,
      paused: this.statePaused,
      failed: this.failure !== undefined,
    };
  }

  tryTake(): MergedItem | undefined {
    if (this.head < this.queue.length) {
      const item = this.queue[this.head]!;
      this.bytes -= this.sizes[this.head]!;
      this.head++;
      // Compact the consumed prefix now and then instead of shifting per item.
      if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.sizes = this.sizes.slice(this.head);
        this.head = 0;
      }
      if (this.flowPaused && this.bytes <= this.maxBytes / 2) {
        this.flowPaused = false;
        this.call?.resume();
      }
      return item;
    }
    if (this.failure !== undefined) throw this.failure;
    return undefined;
  }

  readable(): Promise<void> {
    if (this.head < this.queue.length || this.failure !== undefined || this.closed) return Promise.resolve();
    return this.itemSignal.wait();
  }

  /** The pump is `paused` in etcd: stop pulling (the merge stalls once the buffer is drained — that is the protocol). */
  pause(): void {
    if (this.statePaused || this.closed) return;
    this.statePaused = true;
    this.log.info('pump paused, stop pulling');
    this.call?.cancel();
  }

  /** The pump is `online` again: pull from the last commit ts received. */
  resume(): void {
    if (!this.statePaused || this.closed) return;
    this.statePaused = false;
    this.log.info('pump online, resume pulling');
    this.stateSignal.fire();
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.abort.abort(new Error('pump stream closed'));
      this.call?.cancel();
      this.stateSignal.fire();
      this.itemSignal.fire();
    }
    await this.loop;
    this.client.close();
    this.metrics?.pumpBufferedBytes.remove(this.nodeId);
  }

  private async run(): Promise<void> {
    while (!this.closed && this.failure === undefined) {
      if (this.statePaused) {
        await this.stateSignal.wait();
        continue;
      }
      const err = await this.pullOnce();
      if (this.closed || this.failure !== undefined) break;
      if (this.statePaused) continue;
      this.metrics?.pumpReconnects.inc({ nodeID: this.nodeId });
      const now = Date.now();
      if (now - this.lastErrorLogAt >= ERROR_LOG_INTERVAL_MS) {
        this.lastErrorLogAt = now;
        this.log.warn({ err, host: this.host, resumeAfter: this.last.toString() }, 'pull binlogs from pump failed, reconnecting');
      }
      try {
        await sleep(this.backoff.next(), this.abort.signal);
      } catch {
        break;
      }
    }
  }

  /** One PullBinlogs call; resolves with the error that ended it (streams never end on their own). */
  private pullOnce(): Promise<Error | undefined> {
    return new Promise((resolve) => {
      const req: PullBinlogReq = { clusterId: this.clusterId, startFrom: { suffix: 0n, offset: this.last } };
      const def = PumpService.pullBinlogs;
      // Messages arrive as raw bytes; onData finds the payload without building the envelope objects.
      const call = this.client.makeServerStreamRequest(def.path, def.requestSerialize, (b: Buffer) => b, req, new grpc.Metadata());
      this.call = call;
      this.flowPaused = false;
      let settled = false;
      const done = (err: Error | undefined): void => {
        if (settled) return;
        settled = true;
        if (this.call === call) {
          this.call = undefined;
          this.connected = false;
        }
        resolve(err);
      };
      call.on('metadata', () => {
        if (this.call === call) this.connected = true;
      });
      call.on('data', (msg: Buffer) => this.onData(msg, call));
      call.on('error', (err: Error) => done(err));
      call.on('end', () => done(undefined));
      call.on('status', (s: grpc.StatusObject) => {
        if (s.code !== grpc.status.OK) done(Object.assign(new Error(s.details), { code: s.code }));
      });
      if (this.bytes > this.maxBytes) {
        this.flowPaused = true;
        call.pause();
      }
    });
  }

  private onData(msg: Buffer, call: grpc.ClientReadableStream<Buffer>): void {
    if (this.failure !== undefined || this.closed) return;
    this.connected = true;
    let payload: Uint8Array;
    try {
      payload = pullBinlogRespPayload(msg);
    } catch (err) {
      // A broken envelope is a transport-level failure for Go (a Recv error): log, redial, pull again.
      this.log.warn({ err }, 'cannot parse PullBinlogResp from pump, reconnecting');
      call.cancel();
      return;
    }
    let item: MergedItem;
    try {
      const binlog = decodeTipbBinlog(payload);
      item =
        binlog.startTs === binlog.commitTs
          ? { kind: 'fake', commitTs: binlog.commitTs, pump: this.nodeId }
          : { kind: 'binlog', commitTs: binlog.commitTs, startTs: binlog.startTs, binlog, payloadBytes: payload.length, pump: this.nodeId };
    } catch (err) {
      this.metrics?.errorCount.inc({ type: 'unmarshal_binlog' });
      const meta = decodePullBinlogResp(msg).entity.meta;
      this.failure = new PumpPayloadError(
        { pump: this.nodeId, host: this.host, commitTs: meta.commitTs, startTs: meta.startTs, offset: this.last, payloadBytes: payload.length },
        err,
      );
      this.log.error(this.failure.toLog(), 'cannot decode binlog from pump');
      call.cancel();
      this.itemSignal.fire();
      return;
    }
    this.backoff.reset();
    if (item.commitTs > this.last) {
      this.last = item.commitTs;
    } else {
      this.log.warn({ commitTs: item.commitTs.toString(), last: this.last.toString() }, 'pump receive unsort binlog');
    }
    if (payload.length >= LARGE_PAYLOAD_BYTES) this.log.info({ bytes: payload.length, commitTs: item.commitTs.toString() }, 'large binlog from pump');
    const size = payload.length + ITEM_OVERHEAD_BYTES;
    this.queue.push(item);
    this.sizes.push(size);
    this.bytes += size;
    this.recordSize?.(payload.length);
    if (!this.flowPaused && this.bytes > this.maxBytes) {
      this.flowPaused = true;
      call.pause();
    }
    this.scheduleWake();
  }

  /**
   * grpc-js hands over one message per tick, so waking the merger per message would cost a promise round trip per
   * binlog. Waking once per event-loop turn (setImmediate runs after the socket read that delivered a whole batch)
   * lets the merger take the batch in one go; the added latency is below a millisecond.
   */
  private scheduleWake(): void {
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.positionGauge?.set(tsoPhysicalMs(this.last));
      this.itemSignal.fire();
    });
  }
}
