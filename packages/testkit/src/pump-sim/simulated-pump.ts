import * as grpc from '@grpc/grpc-js';
import type { Namespace } from 'etcd3';

import {
  BinlogType,
  type NodeState,
  PumpService,
  type PullBinlogReq,
  REGISTRY_ROOT,
  type WriteBinlogReq,
  type WriteBinlogResp,
  decodeTipbBinlog,
  parseNodeStatus,
  pumpsPrefix,
  stringifyNodeStatus,
} from '@tidb-drainer/core';

import { notifyOnlineDrainers } from './notify-drainers.js';
import type { NotifyDrainersOptions } from './notify-drainers.js';
import { PumpStorage } from './pump-storage.js';
import type { TsoAllocator } from './tso-allocator.js';

export interface SimulatedPumpOptions {
  readonly nodeId: string;
  readonly clusterId: bigint;
  /** The PD stand-in: fake binlogs and `updateTS` take TSOs from it. */
  readonly tso: TsoAllocator;
  /** Register in this etcd (namespace) under `<root>/pumps/<nodeId>`; omit for a pump without a registry. */
  readonly etcd?: Namespace;
  readonly root?: string;
  /** Fake binlog interval (Go: gen-binlog-interval, 3 s). */
  readonly fakeIntervalMs?: number;
  /** Registry heartbeat (Go: heartbeat-interval, 2 s). */
  readonly heartbeatMs?: number;
  /** Port to bind on 127.0.0.1; 0 = any (then kept across restarts). */
  readonly port?: number;
  readonly serverCredentials?: grpc.ServerCredentials;
  /**
   * A brand-new pump (no record, or `offline`) notifies every `online` drainer before going online and fails to
   * start (marking itself offline) when one cannot be reached, as the Go pump. `false` skips it.
   */
  readonly notifyDrainers?: NotifyDrainersOptions | false;
}

/** Entries sent per wake-up of a PullBinlogs stream before yielding to the event loop. */
const PULL_BATCH = 256;

/**
 * A pump that speaks the real protocol over real gRPC on loopback (tidb-binlog.md §2, §3.3, §3.4, §5): WriteBinlog
 * takes P/C/Rollback binlogs (cluster id checked; non-fake writes rejected unless online, with the real pump's gRPC
 * error), PullBinlogs serves merged C-binlogs and fakes with `offset < commit_ts ≤ maxCommitTs` in order and never
 * ends, idle periods produce fake binlogs, and the node status JSON is registered in etcd with heartbeats.
 * `pause` / `resume` / `kill` / `restart` / `offline` keep the stored data (the storage outlives the server).
 *
 * Owner: `start()` then `close()` (stops timers and the server; leaves the etcd record unless `offline()` was used).
 */
export class SimulatedPump {
  readonly nodeId: string;
  readonly storage = new PumpStorage();
  private readonly options: SimulatedPumpOptions;
  private server: grpc.Server | undefined;
  private port: number;
  private stateValue: NodeState = 'online';
  private fakeTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private wroteSinceFake = false;
  /** Registry writes not yet acknowledged (a heartbeat may be in flight when the pump is closed). */
  private readonly inflight = new Set<Promise<void>>();
  private readonly streams = new Set<grpc.ServerWritableStream<PullBinlogReq, Buffer>>();
  /** Number of PullBinlogs calls received (tests use it to see reconnects). */
  pullCalls = 0;
  /** The offsets requested by PullBinlogs calls, in order. */
  readonly pullOffsets: bigint[] = [];

  constructor(options: SimulatedPumpOptions) {
    this.options = options;
    this.nodeId = options.nodeId;
    this.port = options.port ?? 0;
  }

  /** `127.0.0.1:<port>` once started. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  get state(): NodeState {
    return this.stateValue;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** Binds the gRPC server, registers `online` in etcd and starts fake-binlog and heartbeat timers. */
  async start(): Promise<void> {
    await this.listen();
    await this.notifyIfNew();
    this.stateValue = 'online';
    await this.register();
    this.startTimers();
  }

  /** Drainers notified by the last start (empty when the pump was not new). */
  notifiedDrainers: string[] = [];

  private async notifyIfNew(): Promise<void> {
    const etcd = this.options.etcd;
    if (etcd === undefined || this.options.notifyDrainers === false) return;
    const root = this.options.root ?? REGISTRY_ROOT;
    const key = `${pumpsPrefix(root)}${this.nodeId}`;
    const previous = await etcd.get(key).string();
    if (previous !== null && parseNodeStatus(previous, key).state !== 'offline') return;
    try {
      this.notifiedDrainers = await notifyOnlineDrainers(etcd, root, this.options.notifyDrainers);
    } catch (err) {
      this.stateValue = 'offline';
      await this.register();
      this.stopServer();
      throw err;
    }
  }

  /** Like `binlogctl pause-pump`: the pump exits and is `paused` in etcd. Data is kept. */
  async pause(): Promise<void> {
    this.stopTimers();
    this.stateValue = 'paused';
    await this.register();
    this.stopServer();
  }

  /** Starts a paused (or killed) pump again, online. */
  async resume(): Promise<void> {
    await this.start();
  }

  /** The process dies (kill -9): the server goes away, the etcd record still says online. */
  kill(): void {
    this.stopTimers();
    this.stopServer();
  }

  /** kill, then start again on the same port with the same data. */
  async restart(): Promise<void> {
    this.kill();
    await this.start();
  }

  /**
   * `binlogctl offline-pump`: a last fake binlog, state `closing` until registered drainers have caught up with it,
   * then state `offline` in etcd, then the server stops. Fake binlogs keep flowing while closing.
   */
  async offline(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    const target = this.writeFake();
    this.stateValue = 'closing';
    await this.register();
    await this.waitForDrainers(target, options.timeoutMs ?? 30_000);
    this.stopTimers();
    this.stateValue = 'offline';
    await this.register();
    this.stopServer();
  }

  /**
   * What a closing pump does (§5.5): keep producing fakes until every registered, non-offline drainer's
   * `maxCommitTS` (its checkpoint) has reached `target`, so going offline loses nothing. Vacuous when no drainer is
   * registered (tests that read pumps without a drainer process).
   */
  private async waitForDrainers(target: bigint, timeoutMs: number): Promise<void> {
    const etcd = this.options.etcd;
    if (etcd === undefined) return;
    const prefix = `${this.options.root ?? REGISTRY_ROOT}/drainers/`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const records = await etcd.getAll().prefix(prefix).strings();
      const behind = Object.entries(records)
        .map(([key, json]) => parseNodeStatus(json, key))
        .filter((d) => d.state !== 'offline' && d.maxCommitTs < target);
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`pump ${this.nodeId}: drainers ${behind.map((d) => d.nodeId).join(', ')} did not reach ${target} before going offline`);
      await new Promise((r) => setTimeout(r, Math.min(this.options.fakeIntervalMs ?? 3000, 200)));
    }
  }

  /** Stops timers and the server, and waits for registry writes in flight; keeps the etcd record. Idempotent. */
  async close(): Promise<void> {
    this.kill();
    await Promise.all([...this.inflight]);
  }

  /** Stores a fake binlog now (what the idle timer does). */
  writeFake(): bigint {
    const t = this.options.tso.next();
    this.storage.write({ tp: BinlogType.Rollback, startTs: t, commitTs: t, ddlJobId: 0n, ddlSchemaState: 0 });
    return t;
  }

  /** Stores undecodable payload bytes at a fresh commit ts (for corrupt-payload tests); returns that commit ts. */
  writeCorrupt(payload: Uint8Array = Uint8Array.from([0x0a, 0xff, 0xff, 0xff])): bigint {
    const startTs = this.options.tso.next();
    const commitTs = this.options.tso.next();
    this.storage.writeRawPayload(commitTs, startTs, payload);
    return commitTs;
  }

  /** The node status JSON this pump registers (Go field order). */
  statusJson(): string {
    return stringifyNodeStatus({
      nodeId: this.nodeId,
      host: this.host,
      state: this.stateValue,
      isAlive: false,
      score: 0n,
      label: null,
      maxCommitTs: this.storage.maxCommitTs,
      updateTs: this.options.tso.next(),
    });
  }

  private async register(): Promise<void> {
    if (this.options.etcd === undefined) return;
    const put = this.options.etcd.put(`${pumpsPrefix(this.options.root ?? REGISTRY_ROOT)}${this.nodeId}`).value(this.statusJson());
    const done = put.then(
      () => undefined,
      () => undefined,
    );
    this.inflight.add(done);
    void done.finally(() => this.inflight.delete(done));
    await put;
  }

  private startTimers(): void {
    this.stopTimers();
    this.fakeTimer = setInterval(() => {
      if (!this.wroteSinceFake) this.writeFake();
      this.wroteSinceFake = false;
    }, this.options.fakeIntervalMs ?? 3000);
    this.fakeTimer.unref();
    if (this.options.etcd !== undefined) {
      this.heartbeatTimer = setInterval(() => {
        this.register().catch(() => undefined); // a missed heartbeat is retried on the next tick, as in Go
      }, this.options.heartbeatMs ?? 2000);
      this.heartbeatTimer.unref();
    }
  }

  private stopTimers(): void {
    if (this.fakeTimer !== undefined) clearInterval(this.fakeTimer);
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    this.fakeTimer = undefined;
    this.heartbeatTimer = undefined;
  }

  private stopServer(): void {
    for (const s of this.streams) s.destroy();
    this.streams.clear();
    this.server?.forceShutdown();
    this.server = undefined;
  }

  private async listen(): Promise<void> {
    if (this.server !== undefined) return;
    const server = new grpc.Server({ 'grpc.max_send_message_length': -1, 'grpc.max_receive_message_length': -1 });
    const def = PumpService;
    server.addService(
      {
        writeBinlog: def.writeBinlog,
        // Entries are stored pre-encoded, so the response serializer passes the bytes through.
        pullBinlogs: { ...def.pullBinlogs, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b },
      },
      {
        writeBinlog: (call: grpc.ServerUnaryCall<WriteBinlogReq, WriteBinlogResp>, cb: grpc.sendUnaryData<WriteBinlogResp>) => this.onWrite(call.request, cb),
        pullBinlogs: (call: grpc.ServerWritableStream<PullBinlogReq, Buffer>) => this.onPull(call),
      },
    );
    const creds = this.options.serverCredentials ?? grpc.ServerCredentials.createInsecure();
    // A restarted pump reuses its port; the old socket may take a moment to go.
    for (let attempt = 0; ; attempt++) {
      try {
        this.port = await new Promise<number>((resolve, reject) =>
          server.bindAsync(`127.0.0.1:${this.port}`, creds, (err, port) => (err === null ? resolve(port) : reject(err))),
        );
        break;
      } catch (err) {
        if (attempt >= 20 || this.port === 0) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    this.server = server;
  }

  private onWrite(req: WriteBinlogReq, cb: grpc.sendUnaryData<WriteBinlogResp>): void {
    if (req.clusterId !== this.options.clusterId) {
      cb({ code: grpc.status.UNKNOWN, details: `cluster ID are mismatch, ${req.clusterId} vs ${this.options.clusterId}` });
      return;
    }
    let b;
    try {
      b = decodeTipbBinlog(req.payload);
    } catch (err) {
      cb({ code: grpc.status.UNKNOWN, details: `unmarshal binlog: ${String(err)}` });
      return;
    }
    const fake = b.startTs === b.commitTs;
    if (!fake && this.stateValue !== 'online' && b.tp === BinlogType.Prewrite) {
      cb({ code: grpc.status.UNKNOWN, details: `no online: ${this.stateValue}` });
      return;
    }
    this.wroteSinceFake = true;
    this.storage.write(b);
    cb(null, { errmsg: '' });
  }

  private onPull(call: grpc.ServerWritableStream<PullBinlogReq, Buffer>): void {
    const req = call.request;
    this.pullCalls++;
    this.pullOffsets.push(req.startFrom.offset);
    if (req.clusterId !== this.options.clusterId) {
      call.destroy(Object.assign(new Error(`cluster ID are mismatch, ${req.clusterId} vs ${this.options.clusterId}`), { code: grpc.status.UNKNOWN }));
      return;
    }
    this.streams.add(call);
    let sent = req.startFrom.offset;
    let busy = false;
    let done = false;
    const pump = (): void => {
      if (busy || done) return;
      busy = true;
      for (;;) {
        const batch = this.storage.readAfter(sent, PULL_BATCH);
        if (batch.length === 0) break;
        let full = false;
        for (const e of batch) {
          sent = e.commitTs;
          if (!call.write(e.response)) full = true;
        }
        if (full) {
          call.once('drain', () => {
            busy = false;
            pump();
          });
          return;
        }
        if (batch.length < PULL_BATCH) break;
      }
      busy = false;
    };
    const unsubscribe = this.storage.onAdvance(pump);
    const finish = (): void => {
      done = true;
      unsubscribe();
      this.streams.delete(call);
    };
    call.on('cancelled', finish);
    call.on('close', finish);
    call.on('error', finish);
    pump();
  }
}
