// The error file of SPEC §6, one row per failing field, and the practice's open failures in the same format:
// CSV (UTF-8 with BOM, RFC 4180 quoting by csv-stringify, formula-like cells neutralised), JSON, or an Excel sheet
// of text cells (xlsx-sheet.ts), streamed page by page.
import { stringify } from 'csv-stringify';
import { pipeline, Readable } from 'node:stream';
import type { FileFormat } from '../contract/imports.contract.ts';
import { RECORD_TYPE_SINGULAR } from '../contract/records.ts';
import type { Queryable } from '../db/pool.ts';
import { xlsxSheet, type Cell } from './xlsx-sheet.ts';
import { selectErrorPage, selectFailurePage, type ErrorRow, type ErrorRowKey, type FailureFilter } from './error-file.sql.ts';

/** The leading six are the contract, then what SPEC §6 adds; the rest help a developer find the record they sent. */
export const ERROR_FILE_COLUMNS = [
  'record_type',
  'record_ref',
  'record_name',
  'client_reference',
  'field',
  'reason',
  'caused_by',
  'still_failing',
  'batch',
  'position',
  'code',
] as const;

/** The open failures: the error file's columns and which import and source each row comes from. */
export const FAILURE_COLUMNS = [...ERROR_FILE_COLUMNS, 'import_id', 'source'] as const;

export type FailureFileRow = Record<(typeof FAILURE_COLUMNS)[number], string | number | boolean | null>;
export type ErrorFileRow = Omit<FailureFileRow, 'import_id' | 'source'>;

const PAGE = 5_000;

function toFileRow(row: ErrorRow): ErrorFileRow {
  return {
    record_type: RECORD_TYPE_SINGULAR[row.record_type],
    record_ref: row.ref,
    record_name: row.record_name,
    client_reference: row.client_reference,
    field: row.field,
    reason: row.reason,
    caused_by: row.caused_by,
    still_failing: row.still_failing,
    batch: row.batch_no,
    position: row.pos,
    code: row.code,
  };
}

const toFailureRow = (row: ErrorRow): FailureFileRow => ({ ...toFileRow(row), import_id: row.import_id, source: row.source });

type PageReader = (after: ErrorRowKey | null) => Promise<ErrorRow[]>;

/** Reads pages of `size` rows until one comes back short. */
async function* pages<T>(read: PageReader, shape: (row: ErrorRow) => T, size = PAGE): AsyncGenerator<T> {
  let after: ErrorRow | null = null;
  for (;;) {
    const page: ErrorRow[] = await read(after);
    for (const row of page) yield shape(row);
    if (page.length < size) return;
    after = page[page.length - 1]!;
  }
}

const errorFileRows = (db: Queryable, importId: string) => pages((after) => selectErrorPage(db, importId, after, PAGE), toFileRow);

/** `limit`: at most that many rows (the web UI shows the first ones); null: all. */
async function* failureRows(db: Queryable, filter: FailureFilter, limit: number | null): AsyncGenerator<FailureFileRow> {
  let left = limit ?? Infinity;
  const size = Math.min(PAGE, left);
  for await (const row of pages((after) => selectFailurePage(db, filter, after, size), toFailureRow, size)) {
    yield row;
    if (--left === 0) return;
  }
}

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection); a leading apostrophe makes
// it plain text in Excel and LibreOffice alike.
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(value: string | number | null): string | number | null {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

function toCsv(rows: AsyncIterable<ErrorFileRow>, columns: readonly string[]): Readable {
  const csv = stringify({
    bom: true,
    header: true,
    columns: [...columns],
    record_delimiter: 'windows',
    cast: { string: (value) => String(neutralise(value)), boolean: (value) => String(value) },
  });
  // pipeline() destroys the CSV stream (and so ends the response) if reading the rows fails midway.
  pipeline(Readable.from(rows), csv, () => {});
  return csv;
}

/** The same rows as a JSON array, streamed. */
function toJson(rows: AsyncIterable<ErrorFileRow>): Readable {
  return Readable.from(
    (async function* () {
      let first = true;
      yield '[';
      for await (const row of rows) {
        yield (first ? '\n' : ',\n') + JSON.stringify(row);
        first = false;
      }
      yield '\n]\n';
    })(),
  );
}

/** The same rows as one Excel sheet; its cells are text, so nothing needs neutralising. */
function toXlsx(sheetName: string, rows: AsyncIterable<Record<string, Cell>>, columns: readonly string[]): Readable {
  return xlsxSheet(
    sheetName,
    columns,
    (async function* () {
      for await (const row of rows) yield columns.map((column) => row[column] ?? null);
    })(),
  );
}

export const FILE_CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function render(format: FileFormat, sheetName: string, rows: AsyncIterable<ErrorFileRow>, columns: readonly string[]): Readable {
  if (format === 'json') return toJson(rows);
  if (format === 'xlsx') return toXlsx(sheetName, rows, columns);
  return toCsv(rows, columns);
}

export const errorFile = (db: Queryable, importId: string, format: FileFormat) =>
  render(format, 'Errors', errorFileRows(db, importId), ERROR_FILE_COLUMNS);
export const failuresFile = (db: Queryable, filter: FailureFilter, format: FileFormat, limit: number | null = null) =>
  render(format, 'Open failures', failureRows(db, filter, limit), FAILURE_COLUMNS);
