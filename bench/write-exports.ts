// The benchmark's exports (bench/import.bench.ts runs this before its clock starts): a generated practice export
// cut at exactly `--records` records into `--out` and, with `--second-out`, BrightBooks's overlapping export of the
// same practice there; prints the second export's counts as JSON (null without one). A process
// of its own, so that neither the benchmark nor its sender (send-export.ts) holds anything of the generator.
import { parseArgs } from 'node:util';
import { writeGeneratedExport } from '../packages/sender/src/cli/generate/write-export.ts';
import { writeSecondSource } from '../packages/sender/src/cli/generate/second-source.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string' },
    seed: { type: 'string' },
    overlap: { type: 'string' },
    out: { type: 'string' },
    'second-out': { type: 'string' },
  },
});
const total = Number(values.records);
const seed = Number(values.seed);
// At least 3 records a client (itself, a contact, an address), so that many clients always reach `total`.
const out = values.out!;
await writeGeneratedExport(out, { clients: Math.ceil(total / 3), maxRecords: total, seed, invalidRate: 0.01 });
const secondOut = values['second-out'];
const second = secondOut
  ? await writeSecondSource(secondOut, { overlapWith: out, overlap: Number(values.overlap), seed: seed + 1, prefix: 'B-' })
  : null;
process.stdout.write(JSON.stringify(second?.counts ?? null));
