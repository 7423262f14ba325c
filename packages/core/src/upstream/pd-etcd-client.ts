import { Etcd3 } from 'etcd3';

/** PEM bytes for a TLS connection: the CA, and a client certificate/key pair when mutual TLS is wanted. */
export interface PdTls {
  readonly ca: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/**
 * A client for PD's embedded etcd (pump/drainer registry, cluster id, TiDB topology). One place decides how
 * `pd-urls` and `[security]` become etcd3 options, so the drainer, `drainer check` and `binlogctl` connect alike.
 * The caller owns the client and must `close()` it.
 */
export function createPdEtcdClient(pdUrls: readonly string[], tls?: PdTls, dialTimeoutMs?: number): Etcd3 {
  return new Etcd3({
    hosts: [...pdUrls],
    ...(dialTimeoutMs === undefined ? {} : { dialTimeout: dialTimeoutMs }),
    ...(tls === undefined
      ? {}
      : {
          credentials: {
            rootCertificate: tls.ca,
            ...(tls.cert === undefined ? {} : { certChain: tls.cert }),
            ...(tls.key === undefined ? {} : { privateKey: tls.key }),
          },
        }),
  });
}
