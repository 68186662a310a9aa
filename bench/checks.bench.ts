// `npm run bench:checks`: the CPU an intake thread spends on one 10 MB batch before its 202 can be answered, per
// phase — decode (UTF-8 to a string), pre-scan (depth and container count), JSON.parse, checks (every record's
// fields) — and, for information, the COPY text made after the 202. The batches are the first full one of each
// type of `brightclient generate`'s data (the benchmark's export: bench/write-exports.ts, 1 % invalid), packed
// as the sender packs them. CPU time of this thread (process.threadCpuUsage), so a loaded machine moves the
// figures less than wall time would; the median of --runs runs after one warm-up run.
import { parseArgs } from 'node:util';
import { generatePractice } from '../packages/sender/src/cli/generate/practice-data.ts';
import { packBatches, type Batch } from '../packages/sender/src/packer.ts';
import type { RecordType } from '../src/contract/records.ts';
import { checkBatch } from '../src/intake/prepare-batch.ts';
import { MAX_DEPTH, prescan } from '../src/intake/parse-batch.ts';
import { checkers } from '../src/intake/validate-record.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    seed: { type: 'string', default: '1' },
  },
});
const runs = Number(values.runs);
const say = (line: string) => process.stdout.write(`${line}\n`);

// 60,000 clients give more than 10 MB of each type (a full batch is 40,000–50,000 records).
const practice = generatePractice({ clients: 60_000, seed: Number(values.seed), invalidRate: 0.01 });
const firstFull = new Map<RecordType, Batch>();
for await (const batch of packBatches(practice.records)) {
  // The last batch of a type is sealed short; every earlier one is full.
  if (!firstFull.has(batch.type)) firstFull.set(batch.type, batch);
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.threadCpuUsage(since);
  return (user + system) / 1000;
};
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const utf8 = new TextDecoder('utf-8', { fatal: true });

say(
  `CPU ms per batch, median of ${runs} runs after a warm-up (uptime: ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')})`,
);
say('| type | records | MB | decode | pre-scan | JSON.parse | checks | before the 202 | COPY text (after) |');
say('|---|---|---|---|---|---|---|---|---|');
for (const [type, batch] of firstFull) {
  const phases = { decode: [] as number[], scan: [] as number[], parse: [] as number[], checks: [] as number[], copy: [] as number[] };
  for (let run = 0; run <= runs; run++) {
    let t = process.threadCpuUsage();
    const text = utf8.decode(batch.body);
    const decode = cpuMs(t);
    t = process.threadCpuUsage();
    prescan(text, MAX_DEPTH);
    const scan = cpuMs(t);
    t = process.threadCpuUsage();
    const { records } = JSON.parse(text) as { records: unknown[] };
    const parse = cpuMs(t);
    t = process.threadCpuUsage();
    const check = checkers[type];
    for (const record of records) check(record);
    const checks = cpuMs(t);
    // The COPY text, as the thread makes it after the summary (this parses and checks again, untimed).
    const checked = checkBatch(batch.body, '00000000-0000-0000-0000-000000000000', 1);
    if (!checked.ok) throw new Error(checked.failure.detail);
    t = process.threadCpuUsage();
    for (const part of checked.value.copyParts()) void part;
    const copy = cpuMs(t);
    if (run === 0) continue; // warm-up
    phases.decode.push(decode);
    phases.scan.push(scan);
    phases.parse.push(parse);
    phases.checks.push(checks);
    phases.copy.push(copy);
  }
  const m = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, median(v)])) as Record<keyof typeof phases, number>;
  const before = m.decode + m.scan + m.parse + m.checks;
  const f = (ms: number) => ms.toFixed(0);
  say(
    `| ${type} | ${batch.records.toLocaleString('en-GB')} | ${(batch.body.length / 1e6).toFixed(2)} | ${f(m.decode)} | ${f(m.scan)} | ${f(m.parse)} | ${f(m.checks)} | ${f(before)} | ${f(m.copy)} |`,
  );
}
