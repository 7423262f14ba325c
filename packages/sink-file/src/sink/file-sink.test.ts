import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceFixture, runSinkConformanceSuite } from '@tidb-drainer/testkit/conformance';
import type { ConformanceTarget, Fault } from '@tidb-drainer/testkit/conformance';
import { fileSinkConfigSchema } from './file-sink-config.js';
import { FileSink } from './file-sink.js';
import type { OpenFile } from '../writer/binlog-file-writer.js';
import { readBackDir } from '../test-support/read-back.js';

/** The sink renders TIMESTAMPs in this zone (Go: the drainer's local zone); the read-back converts them back. */
const ZONE = 'Asia/Shanghai';

const errno = (f: Fault): NodeJS.ErrnoException =>
  Object.assign(new Error(`injected ${f.kind} ${f.on} fault`), {
    code: f.kind === 'retryable' ? 'EAGAIN' : f.on === 'open' ? 'EACCES' : 'EIO',
  });

runSinkConformanceSuite({
  name: 'file',
  async createTarget(): Promise<ConformanceTarget> {
    const dir = await mkdtemp(join(tmpdir(), 'file-sink-conformance-'));
    const schema = 'conformance';
    let armed: Fault | undefined;
    const take = (on: Fault['on']): Fault | undefined => {
      if (armed?.on !== on) return undefined;
      const f = armed;
      armed = undefined;
      return f;
    };
    // Faults come from the file system layer the sink really uses: the open(2) and write(2) of a binlog file.
    const openFile: OpenFile = async (path, flags, mode) => {
      const f = take('open');
      if (f !== undefined) throw errno(f);
      const fh = await open(path, flags, mode);
      return {
        write: (data, offset, length, position) => {
          const wf = take('write');
          return wf !== undefined ? Promise.reject(errno(wf)) : fh.write(data, offset, length, position);
        },
        datasync: () => fh.datasync(),
        truncate: (len) => fh.truncate(len),
        close: () => fh.close(),
      };
    };
    const config = fileSinkConfigSchema.parse({ dir, 'max-file-size': 2048 });
    return {
      schema,
      createSink: () => new FileSink(config, { timezone: ZONE }, { openFile }),
      injectFault: (f) => void (armed = f),
      async readBack() {
        const fx = conformanceFixture({ schema });
        return { kind: 'changes', changes: await readBackDir(dir, ZONE, Object.values(fx.tables)) };
      },
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  },
});
