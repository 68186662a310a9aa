// The staging catalogue: for each record type, its staging table, the typed columns intake fills from a checked
// record (in COPY order), which of them the commit copies by name into the central table, and the record's name
// for the error file. Intake's COPY, the pipeline's statements, retention and the profiler all read it, so a new
// field is one entry here plus its migration (test/integration/staging-catalogue.test.ts compares both).
// Pure data and functions: it runs in the intake threads too.
import {
  RECORD_TYPES,
  type AddressValues,
  type ClientValues,
  type ContactValues,
  type RecordType,
  type ValuesByType,
} from '../contract/records.ts';
import type { CopyValue } from '../db/copy.ts';
import { storableText } from './storable-text.ts';

export interface StagedColumn<V> {
  name: string;
  value: (values: V) => CopyValue;
  /** Copied as is into the central table's column of the same name when the record is committed. */
  central?: true;
}

export interface StagingEntry<T extends RecordType> {
  type: T;
  table: string;
  /** The central table the commit writes. */
  centralTable: string;
  columns: readonly StagedColumn<ValuesByType[T]>[];
  /** What the error file calls the record; an invalid field's value is null, so it falls back to what was sent. */
  recordName: (values: ValuesByType[T], raw: unknown) => string | null;
}

const RAW_TEXT_LIMIT = 200;

/** A field as the source sent it, when it is text: the stand-in for a value that failed its check. */
export function rawText(raw: unknown, key: string): string | null {
  if (raw === null || typeof raw !== 'object') return null;
  const value = (raw as Record<string, unknown>)[key];
  return typeof value === 'string' && value.trim() !== '' ? storableText(value.trim().slice(0, RAW_TEXT_LIMIT)) : null;
}

const joinPresent = (parts: (string | null)[], separator: string): string | null => {
  const present = parts.filter((p): p is string => p !== null && p !== '');
  return present.length > 0 ? present.join(separator) : null;
};

const clients: StagingEntry<'clients'> = {
  type: 'clients',
  table: 'staged_clients',
  centralTable: 'clients',
  columns: [
    { name: 'ref', value: (v: ClientValues) => v.ref },
    { name: 'client_reference', value: (v) => v.clientReference, central: true },
    { name: 'name', value: (v) => v.name, central: true },
    { name: 'client_type', value: (v) => v.clientType, central: true },
    { name: 'company_number', value: (v) => v.companyNumber, central: true },
    { name: 'vat_number', value: (v) => v.vatNumber, central: true },
    { name: 'utr', value: (v) => v.utr, central: true },
    { name: 'email', value: (v) => v.email, central: true },
    { name: 'phone', value: (v) => v.phone, central: true },
    { name: 'website', value: (v) => v.website, central: true },
  ],
  recordName: (v, raw) => v.name ?? rawText(raw, 'name'),
};

const contacts: StagingEntry<'contacts'> = {
  type: 'contacts',
  table: 'staged_contacts',
  centralTable: 'contacts',
  columns: [
    { name: 'ref', value: (v: ContactValues) => v.ref },
    { name: 'title', value: (v) => v.title, central: true },
    { name: 'first_name', value: (v) => v.firstName, central: true },
    { name: 'last_name', value: (v) => v.lastName, central: true },
    { name: 'email', value: (v) => v.email, central: true },
    { name: 'phone', value: (v) => v.phone, central: true },
    { name: 'date_of_birth', value: (v) => v.dateOfBirth, central: true },
    { name: 'ni_number', value: (v) => v.niNumber, central: true },
    // The client an error row of the contact names (finalise); its links are in staged_contact_links.
    { name: 'first_client_ref', value: (v) => v.clients[0]?.ref ?? null },
  ],
  recordName: (v, raw) => joinPresent([v.firstName ?? rawText(raw, 'firstName'), v.lastName ?? rawText(raw, 'lastName')], ' '),
};

const addresses: StagingEntry<'addresses'> = {
  type: 'addresses',
  table: 'staged_addresses',
  centralTable: 'addresses',
  columns: [
    { name: 'ref', value: (v: AddressValues) => v.ref },
    // The owner becomes the central client_id or contact_id at commit (commit.sql.ts).
    { name: 'owner_type', value: (v) => v.ownerType },
    { name: 'owner_ref', value: (v) => v.ownerRef },
    { name: 'kind', value: (v) => v.kind, central: true },
    { name: 'line1', value: (v) => v.line1, central: true },
    { name: 'line2', value: (v) => v.line2, central: true },
    { name: 'town', value: (v) => v.town, central: true },
    { name: 'county', value: (v) => v.county, central: true },
    { name: 'postcode', value: (v) => v.postcode, central: true },
    { name: 'country', value: (v) => v.country, central: true },
    { name: 'valid_from', value: (v) => v.from, central: true },
    { name: 'valid_to', value: (v) => v.to, central: true },
  ],
  recordName: (v, raw) => joinPresent([v.line1 ?? rawText(raw, 'line1'), v.postcode ?? rawText(raw, 'postcode')], ', '),
};

export const STAGING: { readonly [T in RecordType]: StagingEntry<T> } = { clients, contacts, addresses };

/** A staging table's columns in COPY order: the record's place, its typed columns, its name, the verdict, the raw record. */
export function stagedColumns(type: RecordType): string[] {
  return ['import_id', 'batch_no', 'pos', ...STAGING[type].columns.map((c) => c.name), 'record_name', 'valid', 'raw'];
}

/** The columns of a staging table that processing sets: the outcome. */
export const PROCESSING_COLUMNS = ['outcome'] as const;

/** The columns the commit copies by name from the staging table into the central table. */
export function centralColumns(type: RecordType): string[] {
  return STAGING[type].columns.filter((c) => c.central).map((c) => c.name);
}

/** A contact's links to clients, one row per element of its `clients` array (idx = array position). */
export const CONTACT_LINKS = {
  table: 'staged_contact_links',
  columns: ['import_id', 'batch_no', 'pos', 'idx', 'client_ref', 'role'],
} as const;

/** One row per failing field of a record; it outlives the staged rows (retention keeps it). */
export const RECORD_ERRORS = {
  table: 'record_errors',
  columns: ['import_id', 'record_type', 'batch_no', 'pos', 'field', 'code', 'ref', 'record_name', 'client_reference', 'reason'],
} as const;

/**
 * The matches of match.sql.ts, one row per staged record that joins an existing central record (by import,
 * record_type, batch_no, pos): the central record, how, and the values it sent that differ (0069).
 */
export const STAGED_MATCHES = { table: 'staged_matches' } as const;

/** Every table of staged rows, which retention deletes and processing analyses. */
export const STAGED_TABLES: readonly string[] = [...RECORD_TYPES.map((t) => STAGING[t].table), CONTACT_LINKS.table, STAGED_MATCHES.table];
