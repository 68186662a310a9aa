// The batch a source product uploads and its three record shapes (SPEC §4), for the OpenAPI document and the
// sender's types. The server does not validate a batch with this schema: intake checks each record itself
// (src/intake/validate-record.ts) so that a bad record becomes rows of the error file, never a refusal of the batch.
import { Type, type Static, type TSchema } from 'typebox';
import { DateOnly, ref, StringEnum } from './common.ts';
import { ADDRESS_KINDS, CLIENT_TYPES, CONTACT_ROLES, OWNER_TYPES, RECORD_TYPES } from './records.ts';

const Ref = Type.String({ minLength: 1, description: 'the record’s id in the source product, unique per type' });
const Text = (description?: string) => Type.String(description ? { description } : {});

const common =
  'Strings are trimmed and an empty optional string counts as absent; enum values are matched case-insensitively; ' +
  'unknown fields are ignored. A failing field fails this record only (a row of the error file).';

export const ClientRecord = Type.Object(
  {
    ref: Ref,
    clientReference: Text('the practice’s own code for the client'),
    name: Text('registered name'),
    clientType: StringEnum(CLIENT_TYPES),
    companyNumber: Type.Optional(
      Text(
        'UK Companies House number: 8 digits, 2 letters + 6 digits (SC, NI, OC …), 1 letter + 7 digits, or 2 letters + 5 digits + a letter; 5–7 digits are left-padded with zeros',
      ),
    ),
    vatNumber: Type.Optional(
      Text('GB or XI prefix (optional, default GB) then 9 or 12 digits with valid check digits; or GD/HA + 3 digits'),
    ),
    utr: Type.Optional(Text('10 digits with a valid HMRC check digit (a leading or trailing K and spaces are removed)')),
    email: Type.Optional(Type.String({ format: 'email' })),
    phone: Type.Optional(Text('any country; national UK numbers may omit +44; stored E.164')),
    website: Type.Optional(Text('http or https URL; the protocol may be omitted')),
  },
  { $id: 'ClientRecord', description: `A client (type "clients"). ${common}` },
);
export type ClientRecord = Static<typeof ClientRecord>;

export const ContactRecord = Type.Object(
  {
    ref: Ref,
    title: Type.Optional(Text()),
    firstName: Type.Optional(Text()),
    lastName: Text(),
    email: Type.Optional(Type.String({ format: 'email' })),
    phone: Type.Optional(Text('any country; national UK numbers may omit +44; stored E.164')),
    dateOfBirth: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD, in the past' })),
    niNumber: Type.Optional(
      Text('National Insurance number: two letters (HMRC’s prefix rules), 6 digits, a suffix A–D that may be omitted'),
    ),
    clients: Type.Array(
      Type.Object({ ref: Text('a client ref of this import or already imported from this source'), role: StringEnum(CONTACT_ROLES) }),
      { minItems: 1, description: 'the clients this contact belongs to, with its role at each' },
    ),
  },
  { $id: 'ContactRecord', description: `A contact (type "contacts"). ${common}` },
);
export type ContactRecord = Static<typeof ContactRecord>;

export const AddressRecord = Type.Object(
  {
    ref: Ref,
    owner: Type.Object(
      { type: StringEnum(OWNER_TYPES), ref: Text('a client or contact ref of this import or already imported from this source') },
      { description: 'whose address this is' },
    ),
    kind: Type.Optional(StringEnum(ADDRESS_KINDS)),
    line1: Text(),
    line2: Type.Optional(Text()),
    town: Text(),
    county: Type.Optional(Text()),
    postcode: Text('a UK-format postcode for GB, JE, GG and IM; an Eircode for IE; any text otherwise'),
    country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', default: 'GB', description: 'ISO 3166-1 alpha-2' })),
    from: DateOnly,
    to: Type.Optional(Type.String({ format: 'date', description: 'absent: the current address; not before `from`' })),
  },
  { $id: 'AddressRecord', description: `An address history entry (type "addresses"). ${common}` },
);
export type AddressRecord = Static<typeof AddressRecord>;

const batchOf = <T extends (typeof RECORD_TYPES)[number], R extends TSchema>(type: T, record: R) =>
  Type.Object({
    type: Type.Literal(type),
    records: Type.Array(ref(record), {
      minItems: 1,
      maxItems: 100_000,
      description: 'at most 100,000; a record that is not an object is a per-record error',
    }),
  });

export const Batch = Type.Union(
  [batchOf('clients', ClientRecord), batchOf('contacts', ContactRecord), batchOf('addresses', AddressRecord)],
  { $id: 'Batch', description: 'One batch of an import: records of one type, at most 10 MB decoded (gzip accepted).' },
);
export type Batch = Static<typeof Batch>;
