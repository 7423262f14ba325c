import { hostname, networkInterfaces } from 'node:os';

/** Go drainer default port for `addr`. */
export const DEFAULT_DRAINER_PORT = 8249;

/** The Go `util.DefaultListenAddr`: the first non-loopback IPv4 address with the port, else 127.0.0.1. */
export function defaultListenAddr(port = DEFAULT_DRAINER_PORT): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal) return `${a.address}:${port}`;
    }
  }
  return `127.0.0.1:${port}`;
}

/** Go default node id: `<hostname>:<port of addr>`. */
export function defaultNodeId(addr: string): string {
  const port = addr.slice(addr.lastIndexOf(':') + 1);
  return `${hostname()}:${port}`;
}
