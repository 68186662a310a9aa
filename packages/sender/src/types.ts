// The API's answers as the sender sees them (SPEC §3, §5), typed for the SDK's callers: all from the contract, as
// generated into contract.generated.ts.
import type { Problem as ContractProblem } from './contract.generated.ts';

export type {
  AddressRecord,
  BatchReceipt,
  ClientRecord,
  ContactRecord,
  ImportView,
  ProblemCode,
  RecordType,
  RefLists,
  TypeCounts,
  UndoPreview,
} from './contract.generated.ts';

/** A problem document as received: what stands between (a proxy, say) may answer without some members. */
export type Problem = Partial<ContractProblem>;
