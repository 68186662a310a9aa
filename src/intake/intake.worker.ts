// An intake thread (see intake-pool.ts): prepares one batch off the event loop.
import type { Outcome } from '../domain/outcome.ts';
import { prepareBatch, type PreparedBatch } from './prepare-batch.ts';

export interface IntakeTask {
  body: Uint8Array;
  importId: string;
  batchNo: number;
  part: number;
  parts: number;
}

export default function prepare({ body, importId, batchNo, part, parts }: IntakeTask): Outcome<PreparedBatch> {
  return prepareBatch(body, importId, batchNo, part, parts);
}
