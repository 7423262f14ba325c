import { fileURLToPath } from 'node:url';
import { buildSinkConfig, loadConfig } from '@tidb-drainer/core';
import { describe, expect, it } from 'vitest';
import { kafkaSink } from '../index.js';
import { kafkaSinkConfigSchema } from './kafka-sink-config.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../../../shared/fixtures/go-tidb-binlog-v7.1.6/${name}`, import.meta.url));

describe('kafka sink config', () => {
  it("reads the Go drainer's drainer-kafka.toml as is", async () => {
    const loaded = await loadConfig({ configFile: fixture('drainer-kafka.toml'), env: {} });
    const { config } = buildSinkConfig(loaded.config, kafkaSink, {});
    expect(config['topic-name']).toBe('binlog_test_topic');
    expect(config.encoding).toBe('binlog-pb');
    expect(config['kafka-max-messages']).toBe(1024);
    expect(config['kafka-client-id']).toBe('tidb_binlog');
    expect(config['kafka-version']).toBe('0.8.2.0');
    expect(config.delivery).toBe('at-least-once');
  });

  it('accepts every Go kafka key and our options; rejects unknown keys and bad combinations', async () => {
    const toml = `
[syncer]
db-type = "kafka"
[syncer.to]
zookeeper-addrs = "127.0.0.1:2181"
kafka-addrs = "k1:9092,k2:9092"
kafka-version = "2.8.0"
kafka-max-messages = 512
kafka-max-message-size = 1073741824
kafka-client-id = "me"
topic-name = "t"
[sink]
encoding = "canal-json"
enable-tidb-extension = true
partition = "index-value"
dispatchers = [{ matcher = ["shop.*"], topic = "tidb_{schema}_{table}", partition = "columns", columns = ["id"] }]
`;
    const loaded = await loadConfig({ tomlText: toml, env: {} });
    const { config } = buildSinkConfig(loaded.config, kafkaSink, {});
    expect(config['kafka-addrs']).toBe('k1:9092,k2:9092');
    expect(config.dispatchers[0]?.columns).toEqual(['id']);
    expect(() => kafkaSinkConfigSchema.parse({ 'kafka-adrs': 'x' })).toThrow(/kafka-adrs|Unrecognized/);
    expect(() => kafkaSinkConfigSchema.parse({ 'large-message-handle': 'claim-check' })).toThrow(/claim-check-dir/);
    expect(() => kafkaSinkConfigSchema.parse({ encoding: 'avro' })).toThrow(/schema-registry/);
    expect(() => kafkaSinkConfigSchema.parse({ dispatchers: [{ matcher: ['a.*'], partition: 'ts', dispatcher: 'table' }] })).toThrow(/not both/);
    expect(kafkaSinkConfigSchema.parse({ 'max-message-bytes': 2048 })['max-message-bytes']).toBe(2048);
    expect(() => kafkaSinkConfigSchema.parse({ partition: 'index-value' })).toThrow(/compat.*ts/);
    expect(kafkaSinkConfigSchema.parse({ partition: 'ts' }).partition).toBe('ts');
  });
});
