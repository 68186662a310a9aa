// The benchmark's sender (bench/import.bench.ts runs it): sends an export folder with the sender SDK, as `brightclient
// send` does, in a process of its own, so that its peak RSS is the sender's and nothing of the benchmark's.
// `--server URL --token T --export DIR [--gzip] [--uploads N]` (uploads in flight, 2 by default as in the SDK);
// prints one line of JSON: the import's id and view as `complete` answered, the batch count and bytes, the upload
// time, every batch's acknowledgement time, and the peak RSS (getrusage's maxRSS, so no sample can miss the peak).
// `--memory-log FILE` writes process.memoryUsage() every second (to see what grows with the export).
import { writeFileSync, appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createApiClient, sendExport } from '../packages/sender/src/index.ts';
import { findExportFiles, readExport } from '../packages/sender/src/cli/export-reader.ts';
import { timeBatchAcks } from './batch-acks.ts';

const { values } = parseArgs({
  options: {
    server: { type: 'string' },
    token: { type: 'string' },
    export: { type: 'string' },
    gzip: { type: 'boolean', default: false },
    'memory-log': { type: 'string' },
    uploads: { type: 'string', default: '2' },
  },
});

const acks = timeBatchAcks();

const memoryLog = values['memory-log'];
const logger = memoryLog
  ? (writeFileSync(memoryLog, ''),
    setInterval(() => {
      const m = process.memoryUsage();
      const mb = (n: number) => Math.round(n / 2 ** 20);
      appendFileSync(
        memoryLog,
        `${JSON.stringify({ s: Math.round(performance.now() / 1000), rss: mb(m.rss), heap: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) })}\n`,
      );
    }, 1000))
  : null;

const client = createApiClient({ server: values.server!, token: values.token! });
const sent = await sendExport(client, readExport(await findExportFiles(values.export!)), {
  stateFile: null,
  gzip: values.gzip,
  concurrency: Number(values.uploads),
});
if (logger) clearInterval(logger);
process.stdout.write(
  `${JSON.stringify({
    importId: sent.importId,
    view: sent.view,
    batchCount: sent.batchCount,
    uploadedBytes: sent.uploadedBytes,
    uploadMs: sent.uploadMs,
    acks,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
