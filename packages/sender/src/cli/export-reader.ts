// Reads an export folder — clients, contacts and addresses as NDJSON (.ndjson/.jsonl), a JSON array (.json) or
// CSV (.csv) — as one stream of records, file after file, a chunk at a time (never a whole file in memory).
// The CSV column mapping (column-mapping.ts) and delimiters (csv-dialect.ts) are documented in docs/sender.md.
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse, CsvError } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { RECORD_TYPES, type RecordType } from '../contract.generated.ts';
import type { SourceRecord } from '../index.ts';
import { CSV_FIELDS, planColumns, type ColumnMapping, type CsvPlan } from './column-mapping.ts';
import { readHead, sniffDelimiter, type Delimiter } from './csv-dialect.ts';

export type ExportFormat = 'ndjson' | 'json' | 'csv';

export interface ExportFile {
  type: RecordType;
  file: string;
  format: ExportFormat;
  bytes: number;
}

/** The export cannot be read: a missing folder, an ambiguous file, a line that is not JSON … */
export class ExportReadError extends Error {
  override name = 'ExportReadError';
}

const EXTENSIONS: Record<string, ExportFormat> = { '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.json': 'json', '.csv': 'csv' };

/** The export's files, in the order they are sent: clients, contacts, addresses. A type without a file has no records. */
export async function findExportFiles(dir: string): Promise<ExportFile[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    throw new ExportReadError(`The export folder ${dir} cannot be read.`);
  }
  const files: ExportFile[] = [];
  for (const type of RECORD_TYPES) {
    const found = names.filter((name) => {
      const ext = path.extname(name).toLowerCase();
      return ext in EXTENSIONS && name.slice(0, -ext.length) === type;
    });
    if (found.length > 1) throw new ExportReadError(`The export folder holds ${found.join(' and ')}: keep one file of ${type}.`);
    const name = found[0];
    if (!name) continue;
    const file = path.join(dir, name);
    files.push({ type, file, format: EXTENSIONS[path.extname(name).toLowerCase()]!, bytes: (await fs.stat(file)).size });
  }
  if (files.length === 0) {
    throw new ExportReadError(`The export folder ${dir} holds none of clients, contacts, addresses (.ndjson, .jsonl, .json or .csv).`);
  }
  return files;
}

/** An export's mapping file, read, and how messages name it. */
export interface ColumnMappingSource {
  mapping?: ColumnMapping;
  name?: string;
}

export interface ReadOptions {
  /** CSV headers that name no field, mapped to fields (docs/sender.md). */
  mapping?: ColumnMappingSource;
  /** Told about CSV columns that are not mapped to any field (they are ignored). */
  onWarning?: (message: string) => void;
}

/** All records of the export, clients first, then contacts, then addresses. */
export async function* readExport(files: ExportFile[], options: ReadOptions = {}): AsyncGenerator<SourceRecord> {
  for (const file of files) {
    const records =
      file.format === 'ndjson' ? readNdjson(file.file) : file.format === 'json' ? readJsonArray(file.file) : readCsv(file, options);
    for await (const { record, size } of records) yield { type: file.type, record, size };
  }
}

interface Read {
  record: unknown;
  size: number;
}

/**
 * JSON.parse of one record's text, without filling V8's string table. V8 internalizes every short string value it
 * parses out of a one-byte text (under 10 characters: a ref, a postcode, a company number), and internalized strings
 * are allocated in old space and listed in a string table kept outside the heap — memory that grew with the export
 * until the next full collection (the string table alone peaked at 35 MB reading 1,000,000 records, by heaptrack;
 * the sender's RSS grew from 192 MB at 1,000,000 records to 243 MB at 3,000,000). A two-byte text is not
 * internalized from, so the record is parsed as the second element of an array whose first element is a character
 * beyond Latin-1: the values are the same, and short-lived. Text that is not one JSON value is parsed alone, for
 * JSON.parse's own message.
 */
function parseRecordJson(text: string): unknown {
  let wrapped: unknown[] | undefined;
  try {
    wrapped = JSON.parse(`["\u0100",${text}]`) as unknown[];
  } catch {
    // reported by the plain parse below
  }
  return wrapped?.length === 2 ? wrapped[1] : JSON.parse(text);
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Lines are found in the file's bytes and only each line is decoded, for JSON.parse: no stream of decoded text, no
 * line reader's strings, and each record's size in bytes is where it ends minus where it starts.
 */
async function* readNdjson(file: string): AsyncGenerator<Read> {
  const input = createReadStream(file);
  let carry: Buffer[] = []; // the start of a line that goes on in the next chunk(s)
  let lineNo = 0;
  let pending = 0;
  const parseLine = (bytes: Buffer, size: number): Read | null => {
    lineNo++;
    pending += size;
    let start = lineNo === 1 && bytes.subarray(0, 3).equals(BOM) ? 3 : 0;
    let end = bytes.length;
    if (end > start && bytes[end - 1] === CR) end--;
    while (start < end && (bytes[start] === 0x20 || bytes[start] === 0x09)) start++;
    if (start === end) return null;
    const line = bytes.toString('utf8', start, end);
    if (line.trim() === '') return null;
    let record: unknown;
    try {
      record = parseRecordJson(line);
    } catch (error) {
      throw new ExportReadError(`${file}, line ${lineNo}: not valid JSON (${(error as Error).message}).`);
    }
    const read = { record, size: pending };
    pending = 0;
    return read;
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let from = 0;
      for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, from)) {
        const line = carry.length > 0 ? Buffer.concat([...carry, chunk.subarray(from, nl)]) : chunk.subarray(from, nl);
        carry = [];
        from = nl + 1;
        const read = parseLine(line, line.length + 1);
        if (read) yield read;
      }
      if (from < chunk.length) carry.push(chunk.subarray(from));
    }
    if (carry.length > 0) {
      const last = Buffer.concat(carry);
      const read = parseLine(last, last.length);
      if (read) yield read;
    }
  } finally {
    input.destroy(); // also when the reader stops early (an interrupted send)
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\uFEFF']);

/**
 * The elements of a top-level JSON array, one at a time: a small scanner finds where each element ends (tracking
 * strings and nesting) and JSON.parse reads it, so only one element is held at a time.
 */
async function* readJsonArray(file: string): AsyncGenerator<Read> {
  let state = 'before' as 'before' | 'inside' | 'after';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let current = '';
  let index = 0;
  const parseElement = (text: string): Read => {
    index++;
    if (text.trim() === '') throw new ExportReadError(`${file}: element ${index} of the array is empty (a stray comma?).`);
    try {
      return { record: parseRecordJson(text), size: Buffer.byteLength(text) + 1 };
    } catch (error) {
      throw new ExportReadError(`${file}, element ${index} of the array: not valid JSON (${(error as Error).message}).`);
    }
  };
  for await (const chunk of createReadStream(file, { encoding: 'utf8' }) as AsyncIterable<string>) {
    const ready: Read[] = [];
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (state !== 'inside') {
        if (WHITESPACE.has(c)) continue;
        if (state === 'before' && c === '[') {
          state = 'inside';
          from = i + 1;
          continue;
        }
        throw new ExportReadError(
          `${file}: ${state === 'before' ? 'a .json export must hold one JSON array of records' : 'there is text after the array'}.`,
        );
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && depth > 0) depth--;
      else if (c === ',' && depth === 0) {
        ready.push(parseElement(current + chunk.slice(from, i)));
        current = '';
        from = i + 1;
      } else if (c === ']') {
        const last = current + chunk.slice(from, i);
        if (last.trim() !== '' || index > 0) ready.push(parseElement(last));
        current = '';
        state = 'after';
      }
    }
    if (state === 'inside') current += chunk.slice(from);
    yield* ready;
  }
  if (state !== 'after') throw new ExportReadError(`${file}: the JSON array is not closed (the file is cut short?).`);
}

// ---------------------------------------------------------------------------------------------------------------
// CSV: a header row names the columns; column-mapping.ts decides which field each fills. Empty cells are absent fields.

export const LIST_SEPARATOR = ';';

type Row = Record<string, string>;
type RowMapper = (row: Row) => Record<string, unknown>;

export interface CsvInspection {
  file: ExportFile;
  delimiter: Delimiter;
  plan: CsvPlan;
}

/** The delimiter and column plan of each CSV file of the export: what `send` checks before it starts an import. */
export async function inspectExport(files: ExportFile[], mapping: ColumnMappingSource = {}): Promise<CsvInspection[]> {
  const inspections: CsvInspection[] = [];
  for (const file of files) {
    if (file.format !== 'csv') continue;
    const head = await readHead(file.file);
    const delimiter = sniffDelimiter(head);
    const rows: string[][] = parseSync(head.text, { delimiter, to_line: 1, relax_quotes: true, relax_column_count: true });
    const header = rows[0] ?? [];
    inspections.push({ file, delimiter, plan: planColumns(file.type, path.basename(file.file), header, mapping.mapping, mapping.name) });
  }
  return inspections;
}

function rowMapper(type: RecordType, plan: CsvPlan): RowMapper {
  const assigned = plan.columns.flatMap((c) => (c.target ? [{ column: c.column, target: c.target }] : []));
  const plain = assigned.flatMap(({ column, target }) => (target.kind === 'field' ? [[column, target.field] as const] : []));
  // The field order is fixed (the order of CSV_FIELDS, then links or owner), so the same row always gives the same JSON.
  plain.sort((a, b) => CSV_FIELDS[type].indexOf(a[1]) - CSV_FIELDS[type].indexOf(b[1]));
  const listRefs = assigned.find((a) => a.target.kind === 'link-refs')?.column ?? null;
  const listRoles = assigned.find((a) => a.target.kind === 'link-roles')?.column ?? null;
  const numbered = new Map<number, { ref?: string; role?: string }>();
  for (const { column, target } of assigned) {
    if (target.kind !== 'numbered') continue;
    numbered.set(target.n, { ...numbered.get(target.n), [target.part]: column });
  }
  const pairs = [...numbered.entries()].sort((a, b) => a[0] - b[0]).map(([, columns]) => columns);
  const ownerType = assigned.find((a) => a.target.kind === 'owner' && a.target.part === 'type')?.column;
  const ownerRef = assigned.find((a) => a.target.kind === 'owner' && a.target.part === 'ref')?.column;

  return (row) => {
    const record: Record<string, unknown> = {};
    for (const [column, field] of plain) {
      const value = row[column];
      if (value !== undefined && value !== '') record[field] = value;
    }
    if (type === 'contacts') {
      const links: { ref?: string; role?: string }[] = [];
      if (listRefs || listRoles) {
        const refs = (listRefs ? (row[listRefs] ?? '') : '').split(LIST_SEPARATOR).map((s) => s.trim());
        const roles = (listRoles ? (row[listRoles] ?? '') : '').split(LIST_SEPARATOR).map((s) => s.trim());
        const n = Math.max(refs.filter(Boolean).length > 0 ? refs.length : 0, roles.filter(Boolean).length > 0 ? roles.length : 0);
        for (let i = 0; i < n; i++) links.push(link(refs[i], roles[i]));
      }
      for (const pair of pairs) {
        const ref = pair.ref ? row[pair.ref] : undefined;
        const role = pair.role ? row[pair.role] : undefined;
        if (ref || role) links.push(link(ref, role));
      }
      if (links.length > 0) record['clients'] = links;
    }
    if (type === 'addresses') {
      const owner: Record<string, string> = {};
      if (ownerType && row[ownerType]) owner['type'] = row[ownerType];
      if (ownerRef && row[ownerRef]) owner['ref'] = row[ownerRef];
      if (Object.keys(owner).length > 0) record['owner'] = owner;
    }
    return record;
  };
}

function link(ref: string | undefined, role: string | undefined): { ref?: string; role?: string } {
  const value: { ref?: string; role?: string } = {};
  if (ref) value.ref = ref;
  if (role) value.role = role;
  return value;
}

async function* readCsv(file: ExportFile, options: ReadOptions): AsyncGenerator<Read> {
  const [{ delimiter, plan }] = (await inspectExport([file], options.mapping)) as [CsvInspection];
  if (plan.problems.length > 0) throw new ExportReadError(plan.problems.join(' '));
  for (const warning of plan.warnings) options.onWarning?.(warning);
  const map = rowMapper(file.type, plan);
  let consumed = 0;
  const input = createReadStream(file.file);
  const parser = input.pipe(parse({ bom: true, delimiter, columns: true, skip_empty_lines: true, info: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Row; info: { bytes: number } }>) {
      const size = info.bytes - consumed;
      consumed = info.bytes;
      yield { record: map(record), size };
    }
  } catch (error) {
    if (error instanceof CsvError) throw new ExportReadError(`${file.file}: ${error.message}`);
    throw error;
  } finally {
    input.destroy();
  }
}
