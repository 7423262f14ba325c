import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs/minimal.js';

/**
 * The one PD RPC the drainer's upstream needs: `pdpb.PD/GetMembers`, answering with `header.cluster_id` (how the Go
 * drainer learns the cluster id, tidb-binlog.md §12.8). Members are left empty. Tests point `pd-urls` (or
 * `fetchPdClusterId`) at `address`. Owner: `close()`.
 */
export class PdStub {
  private constructor(
    private readonly server: grpc.Server,
    readonly address: string,
  ) {}

  static async start(clusterId: bigint): Promise<PdStub> {
    const server = new grpc.Server();
    const response = encodeGetMembersResponse(clusterId);
    server.addService(
      {
        getMembers: {
          path: '/pdpb.PD/GetMembers',
          requestStream: false,
          responseStream: false,
          requestSerialize: (b: Buffer) => b,
          requestDeserialize: (b: Buffer) => b,
          responseSerialize: (b: Buffer) => b,
          responseDeserialize: (b: Buffer) => b,
        },
      },
      { getMembers: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, response) },
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err === null ? resolve(p) : reject(err))),
    );
    return new PdStub(server, `127.0.0.1:${port}`);
  }

  close(): void {
    this.server.forceShutdown();
  }
}

/** GetMembersResponse{ header(1): ResponseHeader{ cluster_id(1): uint64 } }. */
function encodeGetMembersResponse(clusterId: bigint): Buffer {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).fork();
  w.uint32((1 << 3) | 0).uint64(clusterId.toString());
  w.ldelim();
  return Buffer.from(w.finish());
}
