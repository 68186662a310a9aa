// Who is asking, in the domain's words. Every read and write is scoped to one practice; a source product acts for
// one source of it, a practice user for all of them. The HTTP layer builds a Principal from a token or a session
// and hands it (or a narrower scope) down; domain code only ever sees these types.

/** A practice's data, whoever asks. */
export interface PracticeScope {
  practiceId: string;
}

/** A source product: one practice, one source (what a source token stands for). */
export interface SourceScope extends PracticeScope {
  source: string;
}

/** A read's scope: a source product sees its own source (`source` set), a practice user every source (null). */
export interface Scope extends PracticeScope {
  source: string | null;
}

/** A signed-in practice user. */
export interface UserScope extends PracticeScope {
  userId: string;
}

/** The caller of a /v1 route: a source product (`source` set, no user) or a practice user (`userId`, no source). */
export interface Principal extends Scope {
  userId: string | null;
}

/** One import of a source product. */
export interface ImportScope extends SourceScope {
  importId: string;
}
