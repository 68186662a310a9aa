// The record shapes of SPEC §4, shared by the server, the sender SDK and the web UI.
// Runtime lists are `as const` arrays so the types and the checks come from one place.

export const RECORD_TYPES = ['clients', 'contacts', 'addresses'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Singular names, as written in the error file's `record_type` column. */
export const RECORD_TYPE_SINGULAR = { clients: 'client', contacts: 'contact', addresses: 'address' } as const;

export const CLIENT_TYPES = ['limited_company', 'llp', 'partnership', 'sole_trader', 'charity', 'trust', 'other'] as const;
export const CONTACT_ROLES = ['director', 'shareholder', 'secretary', 'partner', 'trustee', 'owner', 'primary_contact', 'other'] as const;
export const ADDRESS_KINDS = ['registered', 'trading', 'correspondence', 'home', 'other'] as const;
export const OWNER_TYPES = ['client', 'contact'] as const;

/** Stable reason codes: a closed union, so every failure a record can have is named here. */
export const ERROR_CODES = [
  'not_an_object', // the record is not a JSON object
  'required', // a required field is missing or empty
  'invalid_type', // wrong JSON type (number where a string was expected …)
  'unstorable_character', // U+0000 or an unpaired surrogate: PostgreSQL cannot store the text
  'too_long', // longer than the field allows
  'invalid_value', // not one of the allowed values (clientType, role, kind, owner.type)
  'invalid_email',
  'invalid_phone',
  'invalid_url',
  'invalid_postcode',
  'invalid_country',
  'invalid_date', // not a real YYYY-MM-DD calendar date
  'date_not_in_past', // dateOfBirth today or later
  'date_range', // address `from` after `to`
  'invalid_company_number',
  'invalid_vat_number',
  'invalid_utr',
  'invalid_ni_number',
  'empty_list', // contact.clients is empty
  'duplicate_ref', // the same ref earlier in this import
  'parent_not_found', // a linked client / owner that is neither in this import nor already imported
  'parent_failed', // a linked client / owner failed to import
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One failing field of one record. `field` is a JSON path (`postcode`, `clients[0].ref`). */
export interface FieldError {
  field: string;
  code: ErrorCode;
  reason: string;
}

// Checked values: each field normalised when valid, null when absent or invalid.
export interface ClientValues {
  ref: string | null;
  clientReference: string | null;
  name: string | null;
  clientType: string | null;
  companyNumber: string | null;
  vatNumber: string | null;
  utr: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
}

export interface ContactLinkValues {
  ref: string | null;
  role: string | null;
}

export interface ContactValues {
  ref: string | null;
  title: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  dateOfBirth: string | null;
  niNumber: string | null;
  clients: ContactLinkValues[];
}

export interface AddressValues {
  ref: string | null;
  ownerType: string | null;
  ownerRef: string | null;
  kind: string | null;
  line1: string | null;
  line2: string | null;
  town: string | null;
  county: string | null;
  postcode: string | null;
  country: string | null;
  from: string | null;
  to: string | null;
}

export interface Checked<V> {
  values: V;
  errors: FieldError[];
}

export interface ValuesByType {
  clients: ClientValues;
  contacts: ContactValues;
  addresses: AddressValues;
}
