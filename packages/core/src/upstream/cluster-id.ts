import * as grpc from '@grpc/grpc-js';
import type { Namespace } from 'etcd3';

import { asBuffer } from '../protocol/grpc-services.js';
import { WireType, guardDecode, readSubEnd, readUint64, readerFor, skipField } from '../protocol/varint64.js';
import type { PumpTlsOptions } from './pump-stream.js';
import { ClusterIdError } from './upstream-errors.js';

/**
 * The PD cluster id, which every PullBinlogReq must carry (pumps reject a mismatch). The Go drainer takes it from
 * the header of PD's `GetMembers` response (§12.8). Order here: the configured value, then `pdpb.PD/GetMembers` on
 * each PD URL, then PD's own etcd key `/pd/cluster_id` (8-byte big-endian; what PD itself persists), which also lets
 * tests and PD-less setups with a plain etcd provide it.
 */
export interface ResolveClusterIdOptions {
  readonly configured?: bigint;
  /** `pd-urls`: `http://host:port` or `https://host:port` (scheme optional). */
  readonly pdUrls: readonly string[];
  /** The registry's etcd client (for the `/pd/cluster_id` fallback). */
  readonly etcd?: Namespace;
  readonly tls?: PumpTlsOptions;
  /** Per request; Go uses a 5 s etcd/PD timeout. */
  readonly timeoutMs?: number;
}

/** Key under which PD stores its cluster id in its embedded etcd. */
export const PD_CLUSTER_ID_KEY = '/pd/cluster_id';

const GET_MEMBERS_PATH = '/pdpb.PD/GetMembers';
/** GetMembersRequest{ header: RequestHeader{} } — an empty header (cluster id 0) is what a client sends before it knows. */
const GET_MEMBERS_REQUEST = Buffer.from([0x0a, 0x00]);

/** Decodes `GetMembersResponse.header.cluster_id` (field 1 → field 1), ignoring everything else. */
export function decodeGetMembersClusterId(bytes: Uint8Array): bigint {
  return guardDecode('pdpb.GetMembersResponse', () => {
    const r = readerFor(bytes);
    let id = 0n;
    while (r.pos < bytes.length) {
      const t = r.uint32();
      if (t >>> 3 === 1 && (t & 7) === WireType.LengthDelimited) {
        const end = readSubEnd(r, bytes.length);
        while (r.pos < end) {
          const t2 = r.uint32();
          if (t2 >>> 3 === 1 && (t2 & 7) === WireType.Varint) id = readUint64(r);
          else skipField(r, t2 & 7);
        }
      } else skipField(r, t & 7);
    }
    return id;
  });
}

function grpcTarget(url: string): { target: string; secure: boolean } {
  const m = /^(https?):\/\/(.*)$/.exec(url.trim());
  if (m === null) return { target: url.trim().replace(/\/+$/, ''), secure: false };
  return { target: m[2]!.replace(/\/+$/, ''), secure: m[1] === 'https' };
}

/** Asks one PD for its cluster id through `pdpb.PD/GetMembers`. */
export function fetchPdClusterId(pdUrl: string, tls: PumpTlsOptions | undefined, timeoutMs = 5000): Promise<bigint> {
  const { target, secure } = grpcTarget(pdUrl);
  const creds = secure || tls !== undefined ? grpc.credentials.createSsl(tls?.ca ?? null, tls?.key ?? null, tls?.cert ?? null) : grpc.credentials.createInsecure();
  const client = new grpc.Client(target, creds);
  return new Promise<bigint>((resolve, reject) => {
    client.makeUnaryRequest(
      GET_MEMBERS_PATH,
      (b: Buffer) => b,
      (b: Buffer) => decodeGetMembersClusterId(b),
      GET_MEMBERS_REQUEST,
      new grpc.Metadata(),
      { deadline: Date.now() + timeoutMs },
      (err, id) => {
        client.close();
        if (err !== null || id === undefined) reject(new ClusterIdError(`PD ${pdUrl} GetMembers failed`, { pdUrl, grpcCode: err?.code }, err));
        else if (id === 0n) reject(new ClusterIdError(`PD ${pdUrl} returned cluster id 0`, { pdUrl }));
        else resolve(id);
      },
    );
  });
}

/** Reads `/pd/cluster_id` (8-byte big-endian uint64) from etcd; undefined when absent. */
export async function readEtcdClusterId(etcd: Namespace): Promise<bigint | undefined> {
  const value = await etcd.get(PD_CLUSTER_ID_KEY).buffer();
  if (value === null) return undefined;
  if (value.length !== 8) throw new ClusterIdError(`${PD_CLUSTER_ID_KEY} is ${value.length} bytes, expected 8`, { key: PD_CLUSTER_ID_KEY });
  return value.readBigUInt64BE(0);
}

/** Encodes a cluster id the way PD stores it under `/pd/cluster_id`. */
export function encodeEtcdClusterId(id: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(id);
  return asBuffer(b);
}

export async function resolveClusterId(options: ResolveClusterIdOptions): Promise<bigint> {
  if (options.configured !== undefined && options.configured !== 0n) return options.configured;
  const failures: unknown[] = [];
  for (const url of options.pdUrls) {
    try {
      return await fetchPdClusterId(url, options.tls, options.timeoutMs);
    } catch (err) {
      failures.push(err);
    }
  }
  if (options.etcd !== undefined) {
    try {
      const id = await readEtcdClusterId(options.etcd);
      if (id !== undefined && id !== 0n) return id;
    } catch (err) {
      failures.push(err);
    }
  }
  throw new ClusterIdError('cannot determine the PD cluster id (set it in the config, or make PD reachable)', { pdUrls: options.pdUrls.join(',') }, failures.length > 0 ? new AggregateError(failures) : undefined);
}
