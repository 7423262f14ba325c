import { ConfigError } from '../errors/drainer-error.js';
import type { DrainerConfig } from './drainer-config.js';

function hostPort(text: string, key: string): void {
  const m = /^(?:\[[^\]]+\]|[^:/]*):(\d{1,5})$/.exec(text);
  if (m === null || Number(m[1]) > 65535) throw new ConfigError(`\`${key}\`: "${text}" is not host:port`, { key });
}

/** The Go drainer's `validate()`: addr and advertise-addr are host:port, every pd-url is an http(s) URL with a host. */
export function validateAddresses(c: DrainerConfig): void {
  hostPort(c.addr, 'addr');
  hostPort(c.advertiseAddr, 'advertise-addr');
  if (c.pdUrls.length === 0) throw new ConfigError('`pd-urls` must list at least one PD endpoint', { key: 'pd-urls' });
  for (const u of c.pdUrls) {
    let url: URL | undefined;
    try {
      url = new URL(u);
    } catch {
      url = undefined;
    }
    if (url === undefined || !['http:', 'https:'].includes(url.protocol) || url.host === '') {
      throw new ConfigError(`\`pd-urls\`: "${u}" is not an http(s) URL`, { key: 'pd-urls' });
    }
  }
  for (const a of c.pumpAddrs) hostPort(a.replace(/^https?:\/\//, ''), 'pump-addrs');
}
