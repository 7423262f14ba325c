import { DrainerError } from '@tidb-drainer/core';

/** The demo could not replicate its workload: the drainer stopped on an error, or did not catch up in time. */
export class DemoError extends DrainerError {
  constructor(message: string, details: Readonly<Record<string, unknown>>, cause?: unknown) {
    super('E_DEMO', message, { retryable: false, cause, details });
  }
}
