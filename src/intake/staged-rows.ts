// The COPY rows of one batch: each checked record laid out as its staging table's row (staging-catalogue.ts), a
// contact's links, and the field errors of the invalid records.
import type { Checked, ClientValues, ContactValues, RecordType, ValuesByType } from '../contract/records.ts';
import type { CopyValue } from '../db/copy.ts';
import { rawText, STAGING, type StagedColumn } from './staging-catalogue.ts';
import { storableJson } from './storable-text.ts';

export interface StagedRecord<T extends RecordType = RecordType> {
  pos: number;
  checked: Checked<ValuesByType[T]>;
  raw: unknown;
}

const recordName = (type: RecordType, record: StagedRecord): string | null =>
  (STAGING[type].recordName as (values: ValuesByType[RecordType], raw: unknown) => string | null)(record.checked.values, record.raw);

/** Rows in the order of stagedColumns(type). */
export function* stagedRows(importId: string, batchNo: number, type: RecordType, records: StagedRecord[]): Generator<CopyValue[]> {
  const columns = STAGING[type].columns as readonly StagedColumn<ValuesByType[RecordType]>[];
  for (const record of records) {
    const { pos, checked, raw } = record;
    const valid = checked.errors.length === 0;
    const row: CopyValue[] = [importId, batchNo, pos];
    for (const column of columns) row.push(column.value(checked.values));
    row.push(recordName(type, record), valid, valid ? null : storableJson(raw));
    yield row;
  }
}

/** Rows in the order of CONTACT_LINKS.columns. */
export function* contactLinkRows(importId: string, batchNo: number, records: StagedRecord[]): Generator<CopyValue[]> {
  for (const { pos, checked } of records) {
    const links = (checked.values as ContactValues).clients;
    for (let idx = 0; idx < links.length; idx++) {
      yield [importId, batchNo, pos, idx, links[idx]!.ref, links[idx]!.role];
    }
  }
}

/** Rows in the order of RECORD_ERRORS.columns. */
export function* errorRows(importId: string, batchNo: number, type: RecordType, records: StagedRecord[]): Generator<CopyValue[]> {
  for (const record of records) {
    const { pos, checked, raw } = record;
    if (checked.errors.length === 0) continue;
    const name = recordName(type, record);
    const clientReference =
      type === 'clients' ? ((checked.values as ClientValues).clientReference ?? rawText(raw, 'clientReference')) : null;
    const seen = new Set<string>();
    for (const error of checked.errors) {
      const key = `${error.field}\u0001${error.code}`;
      if (seen.has(key)) continue; // the error table's key is (record, field, code)
      seen.add(key);
      yield [importId, type, batchNo, pos, error.field, error.code, checked.values.ref, name, clientReference, error.reason];
    }
  }
}
