// The error file of SPEC §6: one row per failing field. CSV (UTF-8 with BOM, RFC 4180 quoting by csv-stringify,
// formula-like cells neutralised) or JSON, streamed page by page.
import { stringify } from 'csv-stringify';
import { pipeline, Readable } from 'node:stream';
import { RECORD_TYPE_SINGULAR } from '../contract/records.ts';
import type { Queryable } from '../db/pool.ts';
import { selectErrorPage, type ErrorRow } from './error-file.sql.ts';

/** The leading six are the contract; the rest help a developer find the record in the batch they sent. */
export const ERROR_FILE_COLUMNS = [
  'record_type',
  'record_ref',
  'record_name',
  'client_reference',
  'field',
  'reason',
  'batch',
  'position',
  'code',
] as const;

export type ErrorFileRow = Record<(typeof ERROR_FILE_COLUMNS)[number], string | number | null>;

const PAGE = 5_000;

function toFileRow(row: ErrorRow): ErrorFileRow {
  return {
    record_type: RECORD_TYPE_SINGULAR[row.record_type],
    record_ref: row.ref,
    record_name: row.record_name,
    client_reference: row.client_reference,
    field: row.field,
    reason: row.reason,
    batch: row.batch_no,
    position: row.pos,
    code: row.code,
  };
}

export async function* errorFileRows(db: Queryable, importId: string): AsyncGenerator<ErrorFileRow> {
  let after: ErrorRow | null = null;
  for (;;) {
    const page: ErrorRow[] = await selectErrorPage(db, importId, after, PAGE);
    for (const row of page) yield toFileRow(row);
    if (page.length < PAGE) return;
    after = page[page.length - 1]!;
  }
}

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection); a leading apostrophe makes
// it plain text in Excel and LibreOffice alike.
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(value: string | number | null): string | number | null {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

export function errorFileCsv(db: Queryable, importId: string): Readable {
  const csv = stringify({
    bom: true,
    header: true,
    columns: [...ERROR_FILE_COLUMNS],
    record_delimiter: 'windows',
    cast: { string: (value) => String(neutralise(value)) },
  });
  // pipeline() destroys the CSV stream (and so ends the response) if reading the rows fails midway.
  pipeline(Readable.from(errorFileRows(db, importId)), csv, () => {});
  return csv;
}

/** The same rows as a JSON array, streamed. */
export function errorFileJson(db: Queryable, importId: string): Readable {
  return Readable.from(
    (async function* () {
      let first = true;
      yield '[';
      for await (const row of errorFileRows(db, importId)) {
        yield (first ? '\n' : ',\n') + JSON.stringify(row);
        first = false;
      }
      yield '\n]\n';
    })(),
  );
}
