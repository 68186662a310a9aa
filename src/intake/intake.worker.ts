// An intake thread (see intake-pool.ts): checks one batch off the event loop and sends, on the task's port, the
// receipt's summary at once, then the COPY text it makes of the batch while the receipt is answered, then the end.
import type { MessagePort } from 'node:worker_threads';
import { success, type Outcome } from '../domain/outcome.ts';
import { checkBatch, type BatchSummary, type CopyPart } from './prepare-batch.ts';

export interface IntakeTask {
  body: Uint8Array;
  importId: string;
  batchNo: number;
  port: MessagePort;
}

export type IntakeMessage = { summary: Outcome<BatchSummary> } | { part: CopyPart } | { end: true };

export default function prepare({ body, importId, batchNo, port }: IntakeTask): void {
  const send = (message: IntakeMessage) => port.postMessage(message);
  try {
    const checked = checkBatch(body, importId, batchNo);
    send({ summary: checked.ok ? success(checked.value.summary) : checked });
    if (!checked.ok) return;
    for (const part of checked.value.copyParts()) send({ part });
    send({ end: true });
  } finally {
    // Also when this throws: the port's close is how the pool learns that no more is coming.
    port.close();
  }
}
