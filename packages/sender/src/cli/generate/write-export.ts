// Writes a generated export to a folder — clients, contacts and addresses as NDJSON, a JSON array or CSV (the
// mapping of docs/sender.md) — with expected-errors.csv (every error row the server must report) and
// expected-summary.json (the counts it must end with).
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { RECORD_TYPES, type RecordType } from '../../contract.generated.ts';
import type { ExportFormat } from '../export-reader.ts';
import { LIST_SEPARATOR } from '../export-reader.ts';
import type { ExpectedCounts } from './expected-outcome.ts';
import { generatePractice, type PracticeOptions } from './practice-data.ts';

export const CSV_COLUMNS: Record<RecordType, string[]> = {
  clients: ['ref', 'client_reference', 'name', 'client_type', 'company_number', 'vat_number', 'utr', 'email', 'phone', 'website'],
  contacts: ['ref', 'title', 'first_name', 'last_name', 'email', 'phone', 'date_of_birth', 'client_refs', 'roles'],
  addresses: ['ref', 'owner_type', 'owner_ref', 'kind', 'line1', 'line2', 'town', 'county', 'postcode', 'country', 'from', 'to'],
};
const EXPECTED_COLUMNS = ['record_type', 'record_ref', 'record_name', 'client_reference', 'field', 'code', 'planted'];
const EXTENSION: Record<ExportFormat, string> = { ndjson: 'ndjson', json: 'json', csv: 'csv' };

type Rec = Record<string, unknown>;

function csvRow(type: RecordType, record: Rec): string[] {
  // A cell is one of the record's scalars (string, number, boolean); anything else would be a layout bug.
  const cell = (value: unknown) => {
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new Error(`a CSV cell cannot hold ${JSON.stringify(value)}`);
  };
  const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return CSV_COLUMNS[type].map((column) => {
    if (type === 'contacts' && (column === 'client_refs' || column === 'roles')) {
      const links = (record['clients'] as Rec[] | undefined) ?? [];
      return links.map((l) => cell(l[column === 'roles' ? 'role' : 'ref'])).join(LIST_SEPARATOR);
    }
    if (type === 'addresses' && column.startsWith('owner_')) return cell((record['owner'] as Rec | undefined)?.[column.slice(6)]);
    return cell(record[camel(column)]);
  });
}

class TypeWriter {
  readonly file: string;
  readonly #out: WriteStream;
  readonly #format: ExportFormat;
  readonly #type: RecordType;
  #count = 0;

  constructor(dir: string, type: RecordType, format: ExportFormat) {
    this.file = path.join(dir, `${type}.${EXTENSION[format]}`);
    this.#out = createWriteStream(this.file);
    this.#format = format;
    this.#type = type;
    if (format === 'csv') this.#out.write(stringify([CSV_COLUMNS[type]]));
    if (format === 'json') this.#out.write('[');
  }

  async write(record: Rec): Promise<void> {
    const text =
      this.#format === 'csv'
        ? stringify([csvRow(this.#type, record)])
        : this.#format === 'json'
          ? `${this.#count === 0 ? '\n' : ',\n'}${JSON.stringify(record)}`
          : `${JSON.stringify(record)}\n`;
    this.#count++;
    if (!this.#out.write(text)) await once(this.#out, 'drain');
  }

  async close(): Promise<void> {
    if (this.#format === 'json') this.#out.write('\n]\n');
    this.#out.end();
    await once(this.#out, 'finish');
  }
}

export interface GenerateSummary {
  files: string[];
  counts: Record<RecordType, ExpectedCounts>;
  errorRows: number;
}

export async function writeGeneratedExport(dir: string, options: PracticeOptions & { format?: ExportFormat }): Promise<GenerateSummary> {
  const format = options.format ?? 'ndjson';
  await fs.mkdir(dir, { recursive: true });
  // Files of another format from an earlier run would make the folder ambiguous to `send`.
  for (const name of await fs.readdir(dir)) {
    if (/^(clients|contacts|addresses)\.(ndjson|jsonl|json|csv)$/.test(name)) await fs.rm(path.join(dir, name));
  }
  const writers = Object.fromEntries(RECORD_TYPES.map((t) => [t, new TypeWriter(dir, t, format)])) as Record<RecordType, TypeWriter>;
  const practice = generatePractice(options);
  for (const { type, record } of practice.records) await writers[type].write(record);
  for (const writer of Object.values(writers)) await writer.close();

  const { counts } = practice.expected;
  // Clients, then contacts, then addresses, each in the order of its file (a stable sort).
  const typeOrder = ['client', 'contact', 'address'];
  const rows = [...practice.expected.rows].sort((a, b) => typeOrder.indexOf(a.record_type) - typeOrder.indexOf(b.record_type));
  const expectedFile = path.join(dir, 'expected-errors.csv');
  await fs.writeFile(expectedFile, stringify(rows, { header: true, columns: EXPECTED_COLUMNS, record_delimiter: 'windows' }));
  const summaryFile = path.join(dir, 'expected-summary.json');
  const summary = {
    seed: options.seed ?? 1,
    clients: options.clients,
    invalidRate: options.invalidRate ?? 0.02,
    format,
    counts,
    errorRows: rows.length,
  };
  await fs.writeFile(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
  return { files: [...Object.values(writers).map((w) => w.file), expectedFile, summaryFile], counts, errorRows: rows.length };
}
