import { DrainerError } from '../errors/drainer-error.js';

/** Stable codes of the control plane (node registry, listener, binlogctl). */
export const ControlErrorCode = {
  Registry: 'E_CONTROL_REGISTRY',
  NodeNotFound: 'E_CONTROL_NODE_NOT_FOUND',
  Listen: 'E_CONTROL_LISTEN',
  Action: 'E_CONTROL_ACTION',
  Usage: 'E_CONTROL_USAGE',
} as const;
export type ControlErrorCode = (typeof ControlErrorCode)[keyof typeof ControlErrorCode];

/**
 * A control-plane failure: the etcd registry (`key`), the listener (`addr`), a node action (`node`, `url`) or a
 * binlogctl usage error. Registry errors are retryable (etcd may come back); the others are not.
 */
export class ControlError extends DrainerError {
  constructor(
    code: ControlErrorCode,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    cause?: unknown,
  ) {
    super(code, message, { retryable: code === ControlErrorCode.Registry, cause, details });
  }
}
