import { describe, expect, it } from 'vitest';
import { jsonlSink } from '../../sinks/jsonl-sink.js';
import { FLAGS } from '../flag-table.js';
import { drainerTomlJsonSchema } from '../load-config.js';
import { knownKeyPaths } from '../key-check.js';
import { renderConfigDocs } from './render-config-docs.js';

describe('renderConfigDocs', () => {
  const doc = renderConfigDocs([jsonlSink]);

  it('documents every drainer.toml key and every flag', () => {
    for (const path of knownKeyPaths(drainerTomlJsonSchema())) {
      const leaf = path.split('.').at(-1) ?? '';
      const asRow = doc.includes(`| \`${leaf}\` |`);
      const asSection = doc.includes(`[${path}]`);
      expect(asRow || asSection, path).toBe(true);
    }
    for (const f of FLAGS) expect(doc, f.name).toContain(`\`-${f.name}\``);
  });

  it('shows defaults of integer keys and marks secrets and extensions', () => {
    expect(doc).toMatch(/\| `worker-count` \| integer \| `16` \|/);
    expect(doc).toMatch(
      /\| `password` \| string \| `""` \| Checkpoint database password\. \(env `DRAINER_CHECKPOINT_PASSWORD`; secret/,
    );
    expect(doc).toMatch(/\| `pump-addrs` .*not in the Go drainer/);
  });

  it('includes the sink sections from their own schemas', () => {
    expect(doc).toContain('### Sink `jsonl`');
    expect(doc).toMatch(/\| `path` \| `\[sink\]` \| string \|/);
  });
});
