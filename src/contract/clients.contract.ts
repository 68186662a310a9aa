// The central repository's reads (SPEC §3): the client list and search, a client, a contact.
import { Type, type Static } from 'typebox';
import { DateOnly, DateTime, Nullable, ref, StringEnum, Uuid } from './common.ts';
import { Actor } from './imports.contract.ts';

const Optional = Nullable(Type.String());

export const SourceRef = Type.Object(
  {
    source: Type.String(),
    ref: Type.String(),
    importId: Uuid,
    matchedBy: Type.String({
      description: 'how the link was made: new, company_number, utr, vat_number, name_and_…, same_address, review, split',
    }),
    matchedAt: DateTime,
    values: Nullable(Type.Record(Type.String(), Type.Unknown()), {
      description: 'the fields this source sent that differ from the central record; null when none',
    }),
  },
  { $id: 'SourceRef', description: 'a source record this central record came from, and how it was matched (SPEC §9)' },
);
export type SourceRef = Static<typeof SourceRef>;

export const RECORD_ACTIONS = ['merge', 'keep_apart', 'split'] as const;

export const RecordAction = Type.Object(
  {
    action: StringEnum(RECORD_ACTIONS),
    by: ref(Actor),
    at: DateTime,
    match: Nullable(Uuid, { description: 'the review item decided (merge, keep-apart)' }),
    other: Nullable(Uuid, {
      description: 'the other record: the one merged into this (or this into), kept apart from, split off or split from',
    }),
    source: Nullable(Type.String(), { description: 'a split: the source record split off' }),
    ref: Nullable(Type.String()),
  },
  { $id: 'RecordAction', description: 'a merge, keep-apart or split of this record: who and when (SPEC §9)' },
);
export type RecordAction = Static<typeof RecordAction>;

const Actions = Type.Array(ref(RecordAction), { description: 'merges, keep-aparts and splits of this record, oldest first' });

const Sources = Type.Array(ref(SourceRef), { description: 'the source records this central record came from' });
const Roles = Type.Array(Type.String(), { description: 'the contact’s roles at the client' });

export const AddressItem = Type.Object(
  {
    id: Uuid,
    kind: Optional,
    line1: Type.String(),
    line2: Optional,
    town: Type.String(),
    county: Optional,
    postcode: Type.String(),
    country: Type.String({ description: 'ISO 3166-1 alpha-2' }),
    from: DateOnly,
    to: Nullable(DateOnly, { description: 'null: the current address' }),
  },
  { $id: 'Address' },
);
export type AddressItem = Static<typeof AddressItem>;

const AddressHistory = Type.Array(ref(AddressItem), { description: 'current addresses first, then by `from`, newest first' });

const clientFields = {
  id: Uuid,
  clientReference: Type.String(),
  name: Type.String(),
  clientType: Type.String(),
  companyNumber: Optional,
  vatNumber: Optional,
  email: Optional,
  phone: Optional,
  website: Optional,
  createdAt: DateTime,
  sources: Sources,
};

export const ClientItem = Type.Object(clientFields, { $id: 'ClientSummary', description: 'a client as the list shows it' });
export type ClientItem = Static<typeof ClientItem>;

export const ClientPage = Type.Object(
  {
    clients: Type.Array(ref(ClientItem)),
    nextCursor: Nullable(Type.String(), { description: 'pass it back as `cursor` for the next page; null on the last' }),
  },
  { $id: 'ClientPage' },
);
export type ClientPage = Static<typeof ClientPage>;

/** The query of the client and contact lists. */
export const ListQuery = Type.Object(
  {
    search: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
);

const contactFields = {
  id: Uuid,
  title: Optional,
  firstName: Optional,
  lastName: Type.String(),
  email: Optional,
  phone: Optional,
};

/** A contact as the contact list and search show it. */
export const ContactItem = Type.Object(
  { ...contactFields, createdAt: DateTime, sources: Sources },
  { $id: 'ContactSummary', description: 'a contact as the list shows it' },
);
export type ContactItem = Static<typeof ContactItem>;

export const ContactPage = Type.Object(
  {
    contacts: Type.Array(ref(ContactItem)),
    nextCursor: Nullable(Type.String(), { description: 'pass it back as `cursor` for the next page; null on the last' }),
  },
  { $id: 'ContactPage' },
);
export type ContactPage = Static<typeof ContactPage>;

/** A contact as a client lists it: with its roles at that client. */
export const ClientContact = Type.Object({ ...contactFields, roles: Roles });
export type ClientContact = Static<typeof ClientContact>;

export const ClientDetail = Type.Object(
  { ...clientFields, utr: Optional, contacts: Type.Array(ClientContact), addresses: AddressHistory, actions: Actions },
  { $id: 'Client', description: 'a client with its contacts (and their roles) and its address history' },
);
export type ClientDetail = Static<typeof ClientDetail>;

export const ContactDetail = Type.Object(
  {
    ...contactFields,
    dateOfBirth: Nullable(DateOnly),
    niNumber: Nullable(Type.String(), { description: 'National Insurance number, upper-case without spaces' }),
    createdAt: DateTime,
    sources: Sources,
    clients: Type.Array(Type.Object({ id: Uuid, clientReference: Type.String(), name: Type.String(), roles: Roles })),
    addresses: AddressHistory,
    actions: Actions,
  },
  { $id: 'Contact', description: 'a contact with its clients (and its roles there) and its address history' },
);
export type ContactDetail = Static<typeof ContactDetail>;
