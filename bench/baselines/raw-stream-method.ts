/** The one method of the raw-stream baseline server: a server stream of opaque byte messages (no protobuf). */
export const RAW_STREAM_METHOD = '/drainer.bench.RawStream/Pull';
