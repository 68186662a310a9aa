// Practice users of the web UI: signing in, the session, and the per-user failure banner.
import { Type, type Static } from 'typebox';
import { ref, Uuid } from './common.ts';
import { ImportView } from './imports.contract.ts';

export const User = Type.Object(
  { id: Uuid, email: Type.String(), practiceId: Uuid, practiceName: Type.String() },
  { $id: 'User', description: 'a signed-in practice user' },
);
export type User = Static<typeof User>;

export const SessionAnswer = Type.Object(
  {
    user: ref(User),
    csrfToken: Type.String({ description: 'send it back as the X-CSRF-Token header of every POST, PUT and DELETE' }),
  },
  { $id: 'Session' },
);
export type SessionAnswer = Static<typeof SessionAnswer>;

export const SignInBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024, format: 'password' }),
  },
  { $id: 'SignIn', additionalProperties: false },
);

export const Banner = Type.Object(
  {
    imports: Type.Array(ref(ImportView)),
    stillFailing: Type.Integer({ minimum: 0, description: 'records still failing across these imports, each counted once' }),
  },
  { $id: 'Banner', description: 'imports of the last 30 days with records still failing, less those this user dismissed' },
);
export type Banner = Static<typeof Banner>;

export const DismissBody = Type.Object({ importId: Uuid }, { $id: 'BannerDismissal', additionalProperties: false });
