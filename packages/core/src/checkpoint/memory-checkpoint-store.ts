import type { Checkpoint } from '../sdk/sink.js';
import type { CheckpointStore } from './checkpoint-store.js';

/** A checkpoint store in memory, for tests and benchmarks. Keeps every save in `history`. */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly kind = 'memory';
  readonly location = 'memory';
  readonly history: Checkpoint[] = [];
  closed = false;

  constructor(private current?: Checkpoint) {}

  load(): Promise<Checkpoint | undefined> {
    return Promise.resolve(this.current === undefined || this.current.commitTs === 0n ? undefined : this.current);
  }

  save(checkpoint: Checkpoint): Promise<void> {
    this.current = checkpoint;
    this.history.push(checkpoint);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
