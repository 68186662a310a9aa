// The comparison every fast path in front of a library check must pass (identifier-fast-paths, contact-fast-paths):
// whatever the fast path answers is the judge's answer, the fast path with its fallback answers as the judge does
// for every value, and the fast path answers almost every generated value the judge accepts (else it saves nothing).
import assert from 'node:assert/strict';

export interface FastPathComparison<T> {
  /** Who judges, for the failure messages: "the library", "validator". */
  judgeName: string;
  values: string[];
  /** The plain spellings of generated exports, which the fast path must answer. */
  generated: string[];
  /** The fast path's answer, or undefined where it leaves the value to the judge. */
  fastPath: (s: string) => T | undefined;
  withFallback: (s: string) => T;
  judge: (s: string) => T;
  accepted: (answer: T) => boolean;
  /** More than this many values compared, and the fast path answered more than minFast of them. */
  minValues: number;
  minFast: number;
}

export function compareFastPathWithJudge<T>(c: FastPathComparison<T>): void {
  let fast = 0;
  for (const s of c.values) {
    const judged = c.judge(s);
    const answer = c.fastPath(s);
    if (answer !== undefined) {
      fast++;
      assert.deepEqual(answer, judged, `the fast path's answer for ${JSON.stringify(s)} is not the ${c.judgeName}'s`);
    }
    assert.deepEqual(c.withFallback(s), judged, JSON.stringify(s));
  }
  assert.ok(c.values.length > c.minValues, `only ${c.values.length} values were compared`);
  assert.ok(fast > c.minFast, `the fast path answered only ${fast} of ${c.values.length}`);
  const acceptedGenerated = c.generated.filter((s) => c.accepted(c.judge(s)));
  const answered = acceptedGenerated.filter((s) => c.fastPath(s) !== undefined).length;
  assert.ok(
    answered / acceptedGenerated.length > 0.99,
    `the fast path answered ${answered} of ${acceptedGenerated.length} generated values`,
  );
}
