import type { Logger } from 'pino';
import { pino } from 'pino';

import type { NodeState, NodeStatus } from '../upstream/node-status.js';
import { ApproxTso } from './approx-tso.js';
import type { NodeRegistry } from './node-registry.js';

/** Go: the drainer rewrites its record every second. */
export const HEARTBEAT_INTERVAL_MS = 1000;
/** Go: 20 consecutive heartbeat failures shut the drainer down. */
export const MAX_HEARTBEAT_FAILURES = 20;

/** Actions of `PUT /state/{nodeID}/{action}` (§5.6). */
export type NodeAction = 'pause' | 'close';

/** The answer of `applyAction`: Go's HTTP envelope code (200 success, 3 refused) and message. */
export interface ActionResult {
  readonly code: 200 | 3;
  readonly message: string;
}

export interface DrainerNodeOptions {
  readonly nodeId: string;
  /** Advertised `host:port` written as `host`. */
  readonly host: string;
  /** Undefined: no PD registry (static pumps); the state machine still runs, nothing is written. */
  readonly registry?: NodeRegistry;
  /** The drainer's checkpoint ts (written as `maxCommitTS`). */
  readonly checkpointTs: () => bigint;
  /** Called once when the node must stop: a `pause`/`close` action or too many failed heartbeats. */
  readonly onStop: (reason: 'pause' | 'close' | 'heartbeat') => void;
  readonly tso?: ApproxTso;
  readonly heartbeatMs?: number;
  readonly logger?: Logger;
}

/**
 * The drainer's own registry record and state machine, as the Go drainer (§5.3, §5.5):
 * - `start()` writes `online` with `maxCommitTS` = checkpoint ts, then a heartbeat rewrites it every second with the
 *   in-memory state (so an etcd edit by `binlogctl update-drainer` is overwritten while the drainer runs, as in Go);
 * - `applyAction('pause'|'close')` is accepted only when `online`: the state becomes `pausing`/`closing` and the
 *   drainer is asked to stop (`onStop`);
 * - `close()` (after the pipeline stopped and saved its checkpoint) turns `online|pausing` into `paused` and
 *   `closing` into `offline` and writes the record one last time. A SIGTERM therefore leaves `paused`; a kill -9
 *   leaves the last heartbeat's `online`.
 *
 * Owner: `start(signal)` once, `close()` once.
 */
export class DrainerNode {
  private readonly o: DrainerNodeOptions;
  private readonly log: Logger;
  private readonly tso: ApproxTso;
  private stateValue: NodeState = 'online';
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private failures = 0;
  private stopRequested = false;
  private closed = false;

  constructor(options: DrainerNodeOptions) {
    this.o = options;
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ component: 'node' });
    this.tso = options.tso ?? new ApproxTso();
  }

  get nodeId(): string {
    return this.o.nodeId;
  }

  get state(): NodeState {
    return this.stateValue;
  }

  /** The record as it would be written now. */
  status(): NodeStatus {
    return {
      nodeId: this.o.nodeId,
      host: this.o.host,
      state: this.stateValue,
      isAlive: false,
      score: 0n,
      label: null,
      maxCommitTs: this.o.checkpointTs(),
      updateTs: this.tso.get(),
    };
  }

  /** Registers `online` (a failure here fails the start, as in Go) and starts the heartbeat. */
  async start(signal?: AbortSignal): Promise<void> {
    this.stateValue = 'online';
    await this.write(signal);
    this.log.info(
      { nodeId: this.o.nodeId, host: this.o.host, registered: this.o.registry !== undefined },
      'drainer node online',
    );
    this.timer = setInterval(() => this.heartbeat(), this.o.heartbeatMs ?? HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  /** `PUT /state/{nodeID}/{action}` after the node id was checked. */
  applyAction(action: NodeAction): ActionResult {
    if (this.stateValue !== 'online' || this.stopRequested) {
      return { code: 3, message: `this pump's state is ${this.stateValue}, apply ${action} failed!` };
    }
    switch (action) {
      case 'pause':
        this.stateValue = 'pausing';
        break;
      case 'close':
        this.stateValue = 'closing';
        break;
    }
    this.log.info({ action, state: this.stateValue }, 'node action accepted, stopping');
    this.requestStop(action);
    return { code: 200, message: `apply action ${action} success!` };
  }

  /** Final transition (online|pausing → paused, closing → offline) and last write. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.beating;
    switch (this.stateValue) {
      case 'online':
      case 'pausing':
        this.stateValue = 'paused';
        break;
      case 'closing':
        this.stateValue = 'offline';
        break;
      case 'paused':
      case 'offline':
        break;
    }
    try {
      await this.write();
      this.log.info(
        { nodeId: this.o.nodeId, state: this.stateValue, maxCommitTS: this.o.checkpointTs().toString() },
        'drainer node state committed',
      );
    } catch (err) {
      this.log.error({ err }, 'cannot write the final drainer state');
    }
  }

  private heartbeat(): void {
    if (this.beating !== undefined || this.closed) return;
    this.beating = this.write()
      .then(() => {
        this.failures = 0;
      })
      .catch((err: unknown) => {
        this.failures++;
        this.log.warn({ err, failures: this.failures }, 'drainer heartbeat failed');
        if (this.failures >= MAX_HEARTBEAT_FAILURES) {
          this.log.error({ failures: this.failures }, 'too many heartbeat failures, stopping the drainer');
          this.requestStop('heartbeat');
        }
      })
      .finally(() => {
        this.beating = undefined;
      });
  }

  private requestStop(reason: 'pause' | 'close' | 'heartbeat'): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    this.o.onStop(reason);
  }

  private async write(signal?: AbortSignal): Promise<void> {
    if (this.o.registry === undefined) return;
    await this.o.registry.updateNode('drainers', this.status(), signal);
  }
}

export function isNodeAction(s: string): s is NodeAction {
  return s === 'pause' || s === 'close';
}
