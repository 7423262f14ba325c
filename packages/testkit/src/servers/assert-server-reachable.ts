import { connect } from 'node:net';
import { DrainerError } from '@tidb-drainer/core';
import { testServerPort, TEST_SERVER_HOST, TEST_SERVER_PORT_ENV } from './test-servers.js';
import type { TestServerName } from './test-servers.js';

/** Long enough for a loaded 2-core box, short enough that a missing server fails a test file at once. */
const DEFAULT_TIMEOUT_MS = 3_000;

export const TEST_SERVER_UNREACHABLE = 'E_TEST_SERVER_UNREACHABLE';

/** A real test server does not accept TCP connections. Integration tests fail on it; they never skip. */
export class TestServerUnreachableError extends DrainerError {
  constructor(name: string, host: string, port: number, cause: unknown) {
    super(
      TEST_SERVER_UNREACHABLE,
      `${name} is not reachable at ${host}:${port}. Start the test servers with \`npm run services -- up\` ` +
        `(logs: .services/<name>/log; ports come from DRAINER_TEST_*_PORT).`,
      { retryable: true, cause, details: { server: name, host, port } },
    );
  }
}

/** Resolves when `host:port` accepts a TCP connection; rejects with `TestServerUnreachableError` otherwise. */
export async function assertServerReachable(
  name: string,
  host: string,
  port: number,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (cause: unknown): void => {
      socket.destroy();
      reject(new TestServerUnreachableError(name, host, port, cause));
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no TCP connection within ${timeoutMs} ms`)));
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}

/** `assertServerReachable` for one of the servers of `scripts/services.sh`, by name. */
export async function assertTestServerReachable(
  name: TestServerName,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const label = `${name} (${TEST_SERVER_PORT_ENV[name]})`;
  await assertServerReachable(label, TEST_SERVER_HOST, testServerPort(name, env));
}
