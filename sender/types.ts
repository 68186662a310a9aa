// The API's answers as the sender sees them (SPEC §3, §5), typed for the SDK's callers: all from the contract.
import type { Problem as ServerProblem } from '../src/contract/problem.contract.ts';

export type { BatchReceipt, ImportView, RefLists, TypeCounts } from '../src/contract/imports.contract.ts';
export type { ProblemCode } from '../src/contract/problem.contract.ts';

/** A problem document as received: what stands between (a proxy, say) may answer without some members. */
export type Problem = Partial<ServerProblem>;
