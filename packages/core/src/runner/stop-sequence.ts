import type { Logger } from 'pino';
import { AbortedError } from '../errors/drainer-error.js';
import type { RunOutcome } from './runner-support.js';

/** How long the last checkpoint save may take after a fatal error (the run's own signal is aborted by then). */
const FINAL_SAVE_TIMEOUT_MS = 10_000;

/**
 * The shutdown wiring of one `Runner.run`: a graceful `signal` stops pulling and starts the drain deadline; the
 * deadline or `force` hard-stops (aborts `hard`); a hard stop also stops pulling. `dispose()` removes every listener.
 */
export class StopSequence {
  /** Aborted when the reader must stop pulling from the upstream. */
  readonly stopPull = new AbortController();
  private drainTimer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private readonly onForce = (): void => this.hard.abort(new AbortedError('forced stop'));
  private readonly onStop: () => void;
  private readonly onHard = (): void => this.stopPull.abort();

  constructor(
    private readonly hard: AbortController,
    private readonly signal: AbortSignal,
    private readonly force: AbortSignal | undefined,
    drainTimeoutMs: number,
    log: Logger,
  ) {
    force?.addEventListener('abort', this.onForce, { once: true });
    if (force?.aborted === true) this.onForce();
    this.onStop = (): void => {
      log.info({ drainTimeoutMs }, 'stopping: draining held events');
      this.stopPull.abort();
      this.drainTimer = setTimeout(() => {
        this.timedOut = true;
        this.hard.abort(new AbortedError('drain deadline'));
      }, drainTimeoutMs);
    };
    signal.addEventListener('abort', this.onStop, { once: true });
    if (signal.aborted) this.onStop();
    this.hard.signal.addEventListener('abort', this.onHard, { once: true });
  }

  /** The drain deadline passed before the held events were written. */
  get drainTimedOut(): boolean {
    return this.timedOut;
  }

  /** How the run ended, judged after the writes settled. */
  outcome(failed: boolean): RunOutcome {
    if (failed) return 'fatal';
    if (this.force?.aborted === true) return 'forced';
    if (this.timedOut || this.hard.signal.aborted) return 'drain-timeout';
    return this.signal.aborted ? 'stopped' : 'completed';
  }

  /** The signal for the final save: its own deadline when the run was already hard-stopped (e.g. after a fatal error). */
  finalSaveSignal(): AbortSignal {
    return AbortSignal.any([this.hard.signal.aborted ? AbortSignal.timeout(FINAL_SAVE_TIMEOUT_MS) : this.hard.signal, ...(this.force ? [this.force] : [])]);
  }

  dispose(): void {
    if (this.drainTimer !== undefined) clearTimeout(this.drainTimer);
    this.signal.removeEventListener('abort', this.onStop);
    this.force?.removeEventListener('abort', this.onForce);
    this.hard.signal.removeEventListener('abort', this.onHard);
  }
}
