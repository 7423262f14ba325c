import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installShutdownSignals } from './shutdown-signals.js';

describe('installShutdownSignals', () => {
  it('first signal asks for a graceful stop, the second forces; dispose removes the listeners', () => {
    const proc = new EventEmitter();
    const seen: string[] = [];
    const s = installShutdownSignals(proc, (name, forced) => seen.push(`${name}:${String(forced)}`));
    proc.emit('SIGTERM');
    expect(s.graceful.aborted).toBe(true);
    expect(s.force.aborted).toBe(false);
    proc.emit('SIGINT');
    expect(s.force.aborted).toBe(true);
    expect(seen).toEqual(['SIGTERM:false', 'SIGINT:true']);
    s.dispose();
    expect(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM')).toBe(0);
  });
});
