import { pino } from 'pino';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { CommitTs } from '../model/commit-ts.js';
import type { ResumePoint, SinkContext } from './sink.js';

export interface SinkContextOptions {
  readonly logger?: Logger;
  readonly metrics?: Registry;
  readonly signal?: AbortSignal;
  /** Shorthand for `resume`: a fresh start at this checkpoint, with no replay window. */
  readonly checkpoint?: CommitTs;
  readonly resume?: ResumePoint;
  readonly clusterId?: bigint;
  readonly nodeId?: string;
  readonly dataDir?: string;
}

/**
 * Builds a SinkContext with quiet defaults: a silent logger, a private metrics registry, a never-aborted signal,
 * checkpoint 0. The runner builds its own; this is for sink unit tests, the conformance suite and custom tooling.
 */
export function createSinkContext(options: SinkContextOptions = {}): SinkContext {
  const checkpoint = options.resume?.checkpoint ?? options.checkpoint ?? 0n;
  return {
    logger: options.logger ?? pino({ level: 'silent' }),
    metrics: options.metrics ?? new Registry(),
    signal: options.signal ?? new AbortController().signal,
    resume: options.resume ?? { checkpoint, replaySafeUntil: checkpoint },
    clusterId: options.clusterId ?? 0n,
    nodeId: options.nodeId ?? 'test:8249',
    dataDir: options.dataDir ?? '.',
  };
}
