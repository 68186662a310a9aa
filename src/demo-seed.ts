// On first start with an empty database: a demo practice, a source token and a web user, printed, so a newcomer
// can import and sign in at once. Runs under an advisory lock so two servers starting together seed once.
// It composes practices and users, so it sits beside main.ts (its one caller) rather than in either room. It
// creates a practice, so it runs as the owner, like the operator's paths.
import { withTransaction, type Db } from './db/pool.ts';
import { countPractices } from './practices/practice.sql.ts';
import { createPractice, createSourceToken } from './practices/practice.service.ts';
import { randomPassword } from './users/password.ts';
import { createUser } from './users/user.service.ts';
import { lockDemoSeed } from './db/advisory-locks.sql.ts';

const DEMO_USER_EMAIL = 'demo@brightclient.example';

export async function seedDemoPractice(db: Db): Promise<{ practiceId: string; token: string; email: string; password: string } | null> {
  return withTransaction(db, async (tx) => {
    await lockDemoSeed(tx);
    if ((await countPractices(tx)) > 0) return null;
    const practice = await createPractice(tx, 'Demo Practice');
    const outcome = await createSourceToken(tx, practice.id, 'brightmanager');
    if (!outcome.ok) throw new Error(outcome.failure.detail);
    const password = randomPassword();
    const user = await createUser(tx, practice.id, DEMO_USER_EMAIL, password);
    if (!user.ok) throw new Error(user.failure.detail);
    return { practiceId: practice.id, token: outcome.value.token, email: DEMO_USER_EMAIL, password };
  });
}
