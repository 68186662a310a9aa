// Reads an export folder — clients, contacts and addresses as NDJSON (.ndjson/.jsonl), a JSON array (.json) or
// CSV (.csv) — as one stream of records, file after file, a chunk at a time (never a whole file in memory).
// The CSV column mapping is documented in docs/sender.md.
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parse, CsvError } from 'csv-parse';
import { RECORD_TYPES, type RecordType } from '../contract/records.ts';
import type { SourceRecord } from '../../sender/index.ts';

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

export interface ReadOptions {
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

async function* readNdjson(file: string): AsyncGenerator<Read> {
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let pending = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      pending += Buffer.byteLength(raw) + 1;
      if (line.trim() === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch (error) {
        throw new ExportReadError(`${file}, line ${lineNo}: not valid JSON (${(error as Error).message}).`);
      }
      yield { record, size: pending };
      pending = 0;
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
      return { record: JSON.parse(text), size: Buffer.byteLength(text) + 1 };
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
// CSV: a header row names the fields. Names are matched ignoring case, spaces, '_' and '-', so `clientReference`,
// `client_reference` and `Client Reference` are the same column. Empty cells are absent fields.

const key = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

const CSV_FIELDS: Record<RecordType, string[]> = {
  clients: ['ref', 'clientReference', 'name', 'clientType', 'companyNumber', 'vatNumber', 'utr', 'email', 'phone', 'website'],
  contacts: ['ref', 'title', 'firstName', 'lastName', 'email', 'phone', 'dateOfBirth'],
  addresses: ['ref', 'kind', 'line1', 'line2', 'town', 'county', 'postcode', 'country', 'from', 'to'],
};
/** Contacts: links as lists in two columns, or as numbered pairs (client1_ref, client1_role, client2_ref …). */
const LINK_LIST_REFS = 'clientrefs';
const LINK_LIST_ROLES = ['roles', 'clientroles'];
const NUMBERED_LINK = /^client(\d+)(ref|role)$/;
/** Addresses: the owner in two columns. */
const OWNER_COLUMNS = { ownertype: 'type', ownerref: 'ref' } as const;
export const LIST_SEPARATOR = ';';

type Row = Record<string, string>;
type RowMapper = (row: Row) => Record<string, unknown>;

function mapper(type: RecordType, columns: string[], file: string, warn: (message: string) => void): RowMapper {
  const known = new Map(CSV_FIELDS[type].map((field) => [key(field), field]));
  const plain: [column: string, field: string][] = [];
  const numbered = new Map<number, { ref?: string; role?: string }>();
  let listRefs: string | null = null;
  let listRoles: string | null = null;
  const owner: [column: string, part: 'type' | 'ref'][] = [];
  for (const column of columns) {
    const k = key(column);
    const field = known.get(k);
    const link = type === 'contacts' ? NUMBERED_LINK.exec(k) : null;
    if (field) plain.push([column, field]);
    else if (type === 'contacts' && k === LINK_LIST_REFS) listRefs = column;
    else if (type === 'contacts' && LINK_LIST_ROLES.includes(k)) listRoles = column;
    else if (link) {
      const entry = numbered.get(Number(link[1])) ?? {};
      entry[link[2] as 'ref' | 'role'] = column;
      numbered.set(Number(link[1]), entry);
    } else if (type === 'addresses' && k in OWNER_COLUMNS) owner.push([column, OWNER_COLUMNS[k as keyof typeof OWNER_COLUMNS]]);
    else warn(`${path.basename(file)}: column '${column}' is not a field of ${type}; it is ignored.`);
  }
  if ((listRefs || listRoles) && numbered.size > 0) {
    throw new ExportReadError(
      `${file}: give contacts' clients either as client_refs/roles lists or as client1_ref, client1_role … columns, not both.`,
    );
  }
  const pairs = [...numbered.entries()].sort((a, b) => a[0] - b[0]).map(([, columns]) => columns);
  // The field order is fixed (the order of CSV_FIELDS, then links or owner), so the same row always gives the same JSON.
  const fieldOrder = new Map(CSV_FIELDS[type].map((field, i) => [field, i]));
  plain.sort((a, b) => fieldOrder.get(a[1])! - fieldOrder.get(b[1])!);

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
    if (type === 'addresses' && owner.length > 0) {
      const value: Record<string, string> = {};
      for (const [column, part] of owner.sort((a, b) => (a[1] === 'type' ? -1 : b[1] === 'type' ? 1 : 0))) {
        const cell = row[column];
        if (cell) value[part] = cell;
      }
      if (Object.keys(value).length > 0) record['owner'] = value;
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
  let map: RowMapper | null = null;
  let consumed = 0;
  const warned = new Set<string>();
  const warn = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    options.onWarning?.(message);
  };
  const input = createReadStream(file.file);
  const parser = input.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => {
        map = mapper(file.type, header, file.file, warn);
        return header;
      },
      skip_empty_lines: true,
      info: true,
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Row; info: { bytes: number } }>) {
      const size = info.bytes - consumed;
      consumed = info.bytes;
      yield { record: map!(record), size };
    }
  } catch (error) {
    if (error instanceof CsvError) throw new ExportReadError(`${file.file}: ${error.message}`);
    throw error;
  } finally {
    input.destroy();
  }
}
