// `npm run soak [-- --runs N]`: the fault tests N times in a row (default 20) — SIGKILL of the server during intake
// and processing and of a standalone worker (crash-resume), the processing lock's connection cut by the database
// (lock-connection-drop), clients gone right after a batch, trickling bodies and event streams closed before they
// start (hostile-clients), a stalled database (database-stall), bodies of millions of tiny records that once ran an
// intake thread out of memory (tiny-records). Prints each run and the tally, exits 1 if any failed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number ≥ 1');
const root = path.resolve(import.meta.dirname, '..');
const FAULT_TESTS = ['crash-resume', 'lock-connection-drop', 'hostile-clients', 'database-stall', 'tiny-records'].map((name) =>
  path.join(root, `test/integration/${name}.test.ts`),
);
let failed = 0;
for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/test.ts'), ...FAULT_TESTS], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  const phases = (result.stdout.match(/^# .*$/gm) ?? []).join(' | ');
  const ok = result.status === 0;
  if (!ok) failed++;
  process.stdout.write(`run ${run}/${runs}: ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s  ${phases}\n`);
  if (!ok) process.stdout.write(result.stdout.slice(-4000) + result.stderr.slice(-2000));
}
process.stdout.write(`${runs - failed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
