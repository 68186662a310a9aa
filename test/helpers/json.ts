// A response body as the contract's type for it (src/contract), so a test reads an answer the way the sender and
// the web UI do, and a field renamed in the contract fails the type-check here too. It is a reading, not a
// validation: what the body holds is what the test's assertions check.
import type { LightMyRequestResponse } from 'fastify';

export function json<T>(res: LightMyRequestResponse): T {
  return res.json<T>();
}

/** The same for a `fetch` answer (a server in another process). */
export async function fetchedJson<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
