// `brightclient map <dir>`: how `send` would read each CSV column of the export folder — by its own name, by the
// mapping file, or not at all, with the field an unknown column probably is — and a starter mapping.json holding
// all of it, suggestions filled in, for a person to check before sending.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { RECORD_TYPES } from '../contract.generated.ts';
import { formatMappingFile, planColumns, starterColumns, targetName, type ColumnMapping, type ColumnPlan } from './column-mapping.ts';
import { delimiterName } from './csv-dialect.ts';
import { MAPPING_FILE, planExport } from './export-plan.ts';
import { EXIT } from './source-options.ts';

function how(c: ColumnPlan, mappingName: string): string {
  if (c.how === 'matched') return 'its name';
  if (c.how === 'mapped') return mappingName;
  if (c.how === 'ignored') return `ignored (${mappingName})`;
  if (c.how === 'invalid') return `${mappingName} names '${c.mappedTo}', which is no field: fix it`;
  if (!c.suggestion) return 'names no field: ignored';
  return `suggested: ${c.suggestion.why === 'synonym' ? 'a common name for it' : 'a close spelling'} — check it`;
}

export async function runMap(dir: string, options: { map?: string; out?: string }, out = process.stdout): Promise<number> {
  const plan = await planExport(dir, options.map);
  const mappingName = plan.mappingFile ? path.basename(plan.mappingFile) : MAPPING_FILE;
  const starter: ColumnMapping = { ...plan.mapping.mapping };
  for (const { file, delimiter, plan: columns } of plan.csv) {
    const name = path.basename(file.file);
    out.write(`${name} (${file.type}, delimiter ${delimiterName(delimiter)}):\n`);
    const width = Math.max(...columns.columns.map((c) => c.column.length), 6);
    for (const c of columns.columns) {
      const target = c.target ? targetName(c.target) : (c.mappedTo ?? c.suggestion?.target ?? '—');
      out.write(`  ${c.column.padEnd(width)}  → ${target.padEnd(16)} ${how(c, mappingName)}\n`);
    }
    starter[file.type] = starterColumns(columns);
  }
  for (const file of plan.files) {
    if (file.format !== 'csv') out.write(`${path.basename(file.file)} (${file.type}): JSON records, read as they are.\n`);
  }
  const target = options.out ?? plan.mappingFile ?? path.join(dir, MAPPING_FILE);
  const text = formatMappingFile(Object.fromEntries(RECORD_TYPES.filter((t) => starter[t]).map((t) => [t, starter[t]])));
  if (plan.csv.length > 0 && !plan.mappingProblem) {
    const before = await fs.readFile(target, 'utf8').catch(() => null);
    await fs.writeFile(target, text);
    out.write(
      `\n${before === text ? 'Unchanged' : 'Wrote'} ${target}: check it (null ignores a column), then send; it is read from the folder.\n`,
    );
  }
  // What would still stop `send` once the starter mapping is used.
  const remaining = plan.mappingProblem ? [plan.mappingProblem] : [];
  for (const { file, plan: columns } of plan.csv) {
    const header = columns.columns.map((c) => c.column);
    remaining.push(...planColumns(file.type, path.basename(file.file), header, starter, path.basename(target)).problems);
  }
  if (remaining.length > 0) out.write(`\nStill to fix before sending:\n${remaining.map((p) => `  ${p}\n`).join('')}`);
  return remaining.length > 0 ? EXIT.cannotRun : EXIT.ok;
}

export function registerMapCommand(program: Command): void {
  program
    .command('map')
    .description(`show how send reads each CSV column of an export folder and write a starter ${MAPPING_FILE} to check`)
    .argument('<dir>', 'the export folder')
    .option('--map <file>', `the mapping file to start from (default <dir>/${MAPPING_FILE} when there is one)`)
    .option('--out <file>', `where to write the mapping (default the mapping file in use, or <dir>/${MAPPING_FILE})`)
    .addHelpText(
      'after',
      `
${MAPPING_FILE} maps, per record type, a CSV header to the field it fills, or to null to ignore it:
  {"clients": {"Client Code": "clientReference", "Company Name": "name", "Notes": null}}
Columns named like a field (any case, spaces, _ - .) need no entry. Exit code 0 when the export can be sent with
the written mapping, 1 when a required field still has no column.`,
    )
    .action(async (dir: string, options: { map?: string; out?: string }) => process.exit(await runMap(dir, options)));
}
