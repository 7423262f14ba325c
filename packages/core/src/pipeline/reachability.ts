import { connect } from 'node:net';

/** Resolves when a TCP connection to `host:port` opens within `timeoutMs`; rejects otherwise. */
export function tcpReachable(hostPort: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const at = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, at).replace(/^\[|\]$/g, '');
  const port = Number(hostPort.slice(at + 1));
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, signal });
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** GET `url` with a deadline; resolves with the HTTP status. */
export async function httpStatus(url: string, timeoutMs: number, signal?: AbortSignal): Promise<number> {
  const res = await fetch(url, {
    signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]),
  });
  await res.body?.cancel();
  return res.status;
}
