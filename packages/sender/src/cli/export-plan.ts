// An export folder checked before anything is sent: its files, its mapping file, and how each CSV file's columns
// are read. `send` refuses to start an import while a problem remains, so a file whose columns name no required
// field never becomes a wholly failed import on the server; `map` shows the same plan.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readMappingFile } from './column-mapping.ts';
import { findExportFiles, inspectExport, type ColumnMappingSource, type CsvInspection, type ExportFile } from './export-reader.ts';

export const MAPPING_FILE = 'mapping.json';

export interface ExportPlan {
  files: ExportFile[];
  /** The mapping file in use (`--map`, or mapping.json in the folder), or null. */
  mappingFile: string | null;
  mapping: ColumnMappingSource;
  /** Why the mapping file cannot be used, or null. */
  mappingProblem: string | null;
  csv: CsvInspection[];
  /** Why the export cannot be sent as it is, one sentence each. */
  problems: string[];
  warnings: string[];
}

/** The mapping file `--map` names, or the folder's mapping.json when it has one. */
export function mappingFileFor(dir: string, option: string | undefined): string | null {
  if (option) return option;
  const inFolder = path.join(dir, MAPPING_FILE);
  return existsSync(inFolder) ? inFolder : null;
}

/** Throws ExportReadError when the folder itself cannot be read; every other problem is listed in the plan. */
export async function planExport(dir: string, mapOption?: string): Promise<ExportPlan> {
  const files = await findExportFiles(dir);
  const mappingFile = mappingFileFor(dir, mapOption);
  let mappingProblem: string | null = null;
  let mapping: ColumnMappingSource = {};
  if (mappingFile) {
    const read = await readMappingFile(mappingFile);
    if (read.ok) mapping = { mapping: read.mapping, name: path.basename(mappingFile) };
    else mappingProblem = read.problem;
  }
  const csv = await inspectExport(files, mapping);
  return {
    files,
    mappingFile,
    mapping,
    mappingProblem,
    csv,
    problems: [...(mappingProblem ? [mappingProblem] : []), ...csv.flatMap((c) => c.plan.problems)],
    warnings: csv.flatMap((c) => c.plan.warnings),
  };
}
