/** The subset of `process` the helper needs, so tests can pass an EventEmitter. */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface ShutdownSignals {
  /** Aborted on the first SIGINT/SIGTERM: stop pulling, drain, flush, save `consistent: true`, close. */
  readonly graceful: AbortSignal;
  /** Aborted on the second signal: abort outstanding writes now (exit with ExitCode.Forced). */
  readonly force: AbortSignal;
  /** Removes the listeners (call once the run is over so a later signal gets Node's default behaviour). */
  dispose(): void;
}

/**
 * Installs SIGINT/SIGTERM handlers for a run: the first signal asks for a graceful stop, the second forces it.
 * The helper never calls `process.exit`; the CLI decides the exit code from the RunResult.
 */
export function installShutdownSignals(source: SignalSource = process, onSignal?: (name: string, forced: boolean) => void): ShutdownSignals {
  const graceful = new AbortController();
  const force = new AbortController();
  const handler = (name: 'SIGINT' | 'SIGTERM') => (): void => {
    const forced = graceful.signal.aborted;
    onSignal?.(name, forced);
    if (forced) force.abort(new Error(`second ${name}`));
    else graceful.abort(new Error(name));
  };
  const onInt = handler('SIGINT');
  const onTerm = handler('SIGTERM');
  source.on('SIGINT', onInt);
  source.on('SIGTERM', onTerm);
  return {
    graceful: graceful.signal,
    force: force.signal,
    dispose() {
      source.off('SIGINT', onInt);
      source.off('SIGTERM', onTerm);
    },
  };
}
