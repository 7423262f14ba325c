import { DrainerError, ErrorCode } from '../errors/drainer-error.js';
import type { ResumePoint, SinkContext } from '../sdk/sink.js';
import { ExitCode } from './exit-codes.js';

/** How a run ended (see RunResult). */
export type RunOutcome = 'completed' | 'stopped' | 'fatal' | 'drain-timeout' | 'forced';

/**
 * Resolves to undefined when `signal` aborts first (through the `interrupt` hook the caller wires to its single
 * abort listener); the abandoned promise's rejection is swallowed.
 */
export function stoppable<T>(p: Promise<T>, signal: AbortSignal, setInterrupt: (f: (() => void) | undefined) => void): Promise<T | undefined> {
  p.catch(() => undefined);
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    setInterrupt(() => resolve(undefined));
    p.then(resolve, reject).finally(() => setInterrupt(undefined));
  });
}

export function exitCodeFor(outcome: RunOutcome, error?: unknown): ExitCode {
  switch (outcome) {
    case 'completed':
    case 'stopped':
      return ExitCode.Ok;
    case 'drain-timeout':
      return ExitCode.DrainTimeout;
    case 'forced':
      return ExitCode.Forced;
    case 'fatal':
      return error instanceof DrainerError && error.code !== ErrorCode.Internal ? ExitCode.Fatal : ExitCode.Internal;
    default:
      return ExitCode.Internal;
  }
}

export function describe(err: unknown): unknown {
  if (err instanceof DrainerError) return err.toLog();
  if (err instanceof Error) return { name: err.name, message: err.message };
  return String(err);
}

export function stringify(o: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o ?? {})) out[k] = typeof v === 'bigint' ? v.toString() : v;
  return out;
}

export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A SinkContext whose `resume` is read lazily: for ownsCheckpoint sinks it is known only after the opened sink's
 * `loadCheckpoint()`, so reading it earlier (inside `open`) is a bug and throws.
 */
export function lazyResumeContext(base: Omit<SinkContext, 'resume'>, resume: () => ResumePoint | undefined): SinkContext {
  return Object.defineProperty({ ...base }, 'resume', {
    enumerable: true,
    get(): ResumePoint {
      const r = resume();
      if (r === undefined) throw new DrainerError(ErrorCode.Internal, 'SinkContext.resume is known only after loadCheckpoint() for ownsCheckpoint sinks');
      return r;
    },
  }) as SinkContext;
}
