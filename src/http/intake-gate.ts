// Admission to batch intake that no client can hold. Two kinds of place, each given back in a `finally` by the one
// piece of code that took it, so it is returned however the request ends (answered, refused, the client gone):
// - reading a body: a practice reads at most `limit` bodies at once, so slow or stalled uploads of one practice
//   never shut out another (and memory for bodies in flight stays bounded per practice);
// - preparing a body that has fully arrived: parse + validate is CPU-bound (≈ 100 ms per 10 MB batch), so past
//   `limit` batches at once the answer is 503 with Retry-After rather than 10 MB bodies queued in memory. A client
//   that trickles its body never holds one of these.
import { fail, type Outcome } from '../domain/outcome.ts';

export interface IntakeGate {
  /** Runs `work` while holding one of the practice's reading places; `busy` when it has none free. */
  reading<T>(practiceId: string, work: () => Promise<Outcome<T>>): Promise<Outcome<T>>;
  /** Runs `work` while holding one of the preparing places; `busy` when none is free. */
  preparing<T>(work: () => Promise<Outcome<T>>): Promise<Outcome<T>>;
}

export function intakeGate(limit: number): IntakeGate {
  const readingByPractice = new Map<string, number>();
  let preparing = 0;
  return {
    reading: async (practiceId, work) => {
      const held = readingByPractice.get(practiceId) ?? 0;
      if (held >= limit)
        return fail('busy', `This practice is already sending ${limit} batches at once; send this one when one of them is done.`);
      readingByPractice.set(practiceId, held + 1);
      try {
        return await work();
      } finally {
        const left = readingByPractice.get(practiceId)! - 1;
        if (left === 0) readingByPractice.delete(practiceId);
        else readingByPractice.set(practiceId, left);
      }
    },
    preparing: async (work) => {
      if (preparing >= limit) return fail('busy', `The server is taking ${limit} batches at once; send this one again in a second.`);
      preparing++;
      try {
        return await work();
      } finally {
        preparing--;
      }
    },
  };
}
