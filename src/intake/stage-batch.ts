// Staged rows of one batch: the checked values of each record laid out as the columns of its staging table.
import type { AddressValues, Checked, ClientValues, ContactValues, RecordType, ValuesByType } from '../contract/records.ts';
import type { CopyValue } from '../db/copy.ts';
import { storableJson, storableText } from './storable-text.ts';

const joinPresent = (parts: (string | null)[], separator: string): string | null => {
  const present = parts.filter((p): p is string => p !== null && p !== '');
  return present.length > 0 ? present.join(separator) : null;
};

const clientLayout = {
  table: 'staged_clients',
  columns: [
    'ref',
    'client_reference',
    'name',
    'client_type',
    'company_number',
    'vat_number',
    'utr',
    'email',
    'phone',
    'website',
    'record_name',
  ],
  row: (v: ClientValues): CopyValue[] => [
    v.ref,
    v.clientReference,
    v.name,
    v.clientType,
    v.companyNumber,
    v.vatNumber,
    v.utr,
    v.email,
    v.phone,
    v.website,
  ],
  name: (v: ClientValues) => v.name,
};

const contactLayout = {
  table: 'staged_contacts',
  columns: ['ref', 'title', 'first_name', 'last_name', 'email', 'phone', 'date_of_birth', 'first_client_ref', 'record_name'],
  row: (v: ContactValues): CopyValue[] => [
    v.ref,
    v.title,
    v.firstName,
    v.lastName,
    v.email,
    v.phone,
    v.dateOfBirth,
    v.clients[0]?.ref ?? null,
  ],
  name: (v: ContactValues) => joinPresent([v.firstName, v.lastName], ' '),
};

const addressLayout = {
  table: 'staged_addresses',
  columns: [
    'ref',
    'owner_type',
    'owner_ref',
    'kind',
    'line1',
    'line2',
    'town',
    'county',
    'postcode',
    'country',
    'valid_from',
    'valid_to',
    'record_name',
  ],
  row: (v: AddressValues): CopyValue[] => [
    v.ref,
    v.ownerType,
    v.ownerRef,
    v.kind,
    v.line1,
    v.line2,
    v.town,
    v.county,
    v.postcode,
    v.country,
    v.from,
    v.to,
  ],
  name: (v: AddressValues) => joinPresent([v.line1, v.postcode], ', '),
};

const LAYOUTS = { clients: clientLayout, contacts: contactLayout, addresses: addressLayout };

const RAW_TEXT_LIMIT = 200;
/** An invalid field's value is null; the record's name for the error file then falls back to what was sent. */
function rawText(raw: unknown, key: string): string | null {
  if (raw === null || typeof raw !== 'object') return null;
  const value = (raw as Record<string, unknown>)[key];
  return typeof value === 'string' && value.trim() !== '' ? storableText(value.trim().slice(0, RAW_TEXT_LIMIT)) : null;
}

function recordName<T extends RecordType>(type: T, values: ValuesByType[T], raw: unknown): string | null {
  switch (type) {
    case 'clients':
      return clientLayout.name(values as ClientValues) ?? rawText(raw, 'name');
    case 'contacts': {
      const v = values as ContactValues;
      return joinPresent([v.firstName ?? rawText(raw, 'firstName'), v.lastName ?? rawText(raw, 'lastName')], ' ');
    }
    default: {
      const v = values as AddressValues;
      return joinPresent([v.line1 ?? rawText(raw, 'line1'), v.postcode ?? rawText(raw, 'postcode')], ', ');
    }
  }
}

export interface StagedRecord<T extends RecordType = RecordType> {
  pos: number;
  checked: Checked<ValuesByType[T]>;
  raw: unknown;
}

export function stagingTable(type: RecordType): { table: string; columns: string[] } {
  const layout = LAYOUTS[type];
  return { table: layout.table, columns: ['import_id', 'batch_no', 'pos', ...layout.columns, 'valid', 'raw'] };
}

export function* stagedRows(importId: string, batchNo: number, type: RecordType, records: StagedRecord[]): Generator<CopyValue[]> {
  const row = LAYOUTS[type].row as (values: ValuesByType[RecordType]) => CopyValue[];
  for (const { pos, checked, raw } of records) {
    const valid = checked.errors.length === 0;
    yield [importId, batchNo, pos, ...row(checked.values), recordName(type, checked.values, raw), valid, valid ? null : storableJson(raw)];
  }
}

export const LINK_COLUMNS = ['import_id', 'batch_no', 'pos', 'idx', 'client_ref', 'role'] as const;

export function* contactLinkRows(importId: string, batchNo: number, records: StagedRecord[]): Generator<CopyValue[]> {
  for (const { pos, checked } of records) {
    const links = (checked.values as ContactValues).clients;
    for (let idx = 0; idx < links.length; idx++) {
      yield [importId, batchNo, pos, idx, links[idx]!.ref, links[idx]!.role];
    }
  }
}

export const ERROR_COLUMNS = [
  'import_id',
  'record_type',
  'batch_no',
  'pos',
  'field',
  'code',
  'ref',
  'record_name',
  'client_reference',
  'reason',
] as const;

export function* errorRows(importId: string, batchNo: number, type: RecordType, records: StagedRecord[]): Generator<CopyValue[]> {
  for (const { pos, checked, raw } of records) {
    if (checked.errors.length === 0) continue;
    const name = recordName(type, checked.values, raw);
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
