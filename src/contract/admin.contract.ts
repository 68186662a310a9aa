// Operators (SPEC §3 "Admin"): practices, their source tokens and their users.
import { Type, type Static } from 'typebox';
import { DateTime, Nullable, ref, Uuid } from './common.ts';

/** A source product's slug, as tokens carry it. */
export const SOURCE_PATTERN = '^[a-z][a-z0-9_-]{1,39}$';
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export const NewPractice = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }) },
  { $id: 'NewPractice', additionalProperties: false },
);

export const Practice = Type.Object({ id: Uuid, name: Type.String() }, { $id: 'Practice' });
export type Practice = Static<typeof Practice>;

export const NewSourceToken = Type.Object(
  { source: Type.String({ pattern: SOURCE_PATTERN, description: 'lower-case slug, e.g. brightmanager' }) },
  { $id: 'NewSourceToken', additionalProperties: false },
);

export const SourceToken = Type.Object(
  { token: Type.String({ description: 'shown once; stored hashed' }) },
  { $id: 'SourceToken', description: 'a source token: send it as `Authorization: Bearer <token>`' },
);
export type SourceToken = Static<typeof SourceToken>;

export const NewUser = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, format: 'password' }),
  },
  { $id: 'NewUser', additionalProperties: false },
);

export const PracticeUser = Type.Object({ id: Uuid, practiceId: Uuid, email: Type.String() }, { $id: 'PracticeUser' });
export type PracticeUser = Static<typeof PracticeUser>;

export const PracticeSummary = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    createdAt: DateTime,
    users: Type.Integer({ minimum: 0 }),
    sources: Type.Array(Type.String(), { description: 'the sources holding a live token' }),
  },
  { $id: 'PracticeSummary' },
);
export type PracticeSummary = Static<typeof PracticeSummary>;

export const PracticeList = Type.Object({ practices: Type.Array(ref(PracticeSummary)) }, { $id: 'PracticeList' });

const tokenFields = {
  id: Type.String({ format: 'uuid', description: 'the token id: the 32 hex digits after `bcs_`, as a UUID' }),
  source: Type.String(),
  createdAt: DateTime,
  revokedAt: Nullable(DateTime),
};

/** What an operator sees of a token: never its secret, which is not kept. */
export const TokenSummary = Type.Object(tokenFields, { $id: 'TokenSummary' });
export type TokenSummary = Static<typeof TokenSummary>;

export const TokenList = Type.Object({ tokens: Type.Array(ref(TokenSummary)) }, { $id: 'TokenList' });
export type TokenList = Static<typeof TokenList>;

export const RevokeToken = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200, description: 'the token id, or the token itself' }) },
  { $id: 'RevokeToken', additionalProperties: false },
);

export const RevokedToken = Type.Object({ ...tokenFields, practiceId: Uuid }, { $id: 'RevokedToken' });
export type RevokedToken = Static<typeof RevokedToken>;

export const ResetPassword = Type.Object(
  { email: NewUser.properties.email, password: NewUser.properties.password },
  { $id: 'ResetPassword', additionalProperties: false },
);
