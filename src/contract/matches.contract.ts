// The review of cross-product matches (SPEC §9): the review items a practice user decides, and the answers of
// merge, keep-apart and split. Practice users only (a source token gets 403); another practice's ids answer 404.
import { Type, type Static } from 'typebox';
import { ClientDetail, ContactDetail, SourceRef } from './clients.contract.ts';
import { DateTime, Nullable, ref, StringEnum, Uuid } from './common.ts';
import { SOURCE_PATTERN } from './admin.contract.ts';
import { Actor } from './imports.contract.ts';

export const MATCH_KINDS = ['conflict', 'possible_match', 'same_source'] as const;
export const MATCH_STATUSES = ['open', 'closed'] as const;
/** superseded: one of its records was merged with another by a different item, so this pair no longer exists. */
export const MATCH_RESOLUTIONS = ['merged', 'kept_apart', 'superseded'] as const;
export const REVIEW_RECORD_TYPES = ['clients', 'contacts'] as const;
export type ReviewRecordType = (typeof REVIEW_RECORD_TYPES)[number];

export const MatchEvidence = Type.Object(
  {
    field: Type.String({ description: 'the API name of the compared field: name, companyNumber, utr, vatNumber, email, …' }),
    values: Type.Array(Nullable(Type.String()), { description: 'each record’s value, in the order of `records`' }),
    same: Type.Boolean({ description: 'whether they count as the same (names folded, VAT numbers by root, emails by case)' }),
  },
  { $id: 'MatchEvidence' },
);
export type MatchEvidence = Static<typeof MatchEvidence>;

export const MatchCandidate = Type.Object(
  {
    id: Uuid,
    name: Type.String({ description: 'a client’s name, or a contact’s first and last name' }),
    fields: Type.Record(Type.String(), Nullable(Type.String()), {
      description:
        'the record’s compared fields by API name (clients: clientReference, clientType, companyNumber, utr, vatNumber, ' +
        'email, phone, website; contacts: title, firstName, lastName, email, phone, dateOfBirth, niNumber masked but its last 3)',
    }),
    postcodes: Type.Array(Type.String(), { description: 'the postcodes of its address history' }),
    sources: Type.Array(ref(SourceRef)),
  },
  { $id: 'MatchCandidate', description: 'one central record of a review item, as it is now' },
);
export type MatchCandidate = Static<typeof MatchCandidate>;

export const MatchItem = Type.Object(
  {
    id: Uuid,
    kind: StringEnum(MATCH_KINDS, {
      description:
        'conflict: an identifier is shared but another contradicts it; possible_match: the same name and the same ' +
        'postcode, email or phone; same_source: one source’s two refs look like one record',
    }),
    recordType: StringEnum(REVIEW_RECORD_TYPES),
    status: StringEnum(MATCH_STATUSES),
    records: Type.Array(Uuid, { description: 'the central ids, oldest first (a merge keeps the first)' }),
    evidence: Type.Array(ref(MatchEvidence), { description: 'the compared fields, as they were when the item was opened' }),
    candidates: Type.Array(ref(MatchCandidate), {
      description: 'the records side by side, in the order of `records`; a record merged away since is left out',
    }),
    createdAt: DateTime,
    closedAt: Nullable(DateTime),
    closedBy: Nullable(ref(Actor), { description: 'the practice user who decided it; null while open and when superseded' }),
    resolution: Nullable(StringEnum(MATCH_RESOLUTIONS), { description: 'null while open' }),
  },
  { $id: 'MatchItem', description: 'a review item: central records that may be one (SPEC §9)' },
);
export type MatchItem = Static<typeof MatchItem>;

export const MatchListQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(MATCH_STATUSES, { default: 'open' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
);

export const MatchPage = Type.Object(
  {
    matches: Type.Array(ref(MatchItem), { description: 'oldest first' }),
    nextCursor: Nullable(Type.String(), { description: 'pass it back as `cursor` (with the same `status`); null on the last page' }),
  },
  { $id: 'MatchPage' },
);
export type MatchPage = Static<typeof MatchPage>;

export const ChangedRecords = Type.Object(
  {
    match: Nullable(ref(MatchItem), { description: 'the decided item; null for a split' }),
    clients: Type.Array(ref(ClientDetail), { description: 'the clients as they are now (the survivor of a merge; both of a split)' }),
    contacts: Type.Array(ref(ContactDetail), { description: 'the contacts as they are now' }),
  },
  { $id: 'ChangedRecords', description: 'the answer of merge, keep-apart and split: what they changed' },
);
export type ChangedRecords = Static<typeof ChangedRecords>;

export const SplitBody = Type.Object(
  {
    source: Type.String({ pattern: SOURCE_PATTERN, description: 'the source of the record to split off' }),
    ref: Type.String({ minLength: 1, maxLength: 64, description: 'its ref' }),
  },
  { $id: 'SplitBody', additionalProperties: false },
);
export type SplitBody = Static<typeof SplitBody>;
