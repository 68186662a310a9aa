// An intake thread (see intake-pool.ts): checks one batch off the event loop and sends, on the task's port, the
// receipt's summary at once, then the COPY text it makes of the batch while the receipt is answered, then the end.
// The body is on shared memory (read-body.ts): the thread reads it where the main thread holds it.
import type { MessagePort, Transferable } from 'node:worker_threads';
import { success, type Outcome } from '../domain/outcome.ts';
import { checkBatch, type BatchSummary, type CopyPart } from './prepare-batch.ts';

export interface IntakeTask {
  body: Uint8Array;
  importId: string;
  batchNo: number;
  port: MessagePort;
}

export type IntakeMessage = { summary: Outcome<BatchSummary> } | { part: CopyPart } | { end: true };

const utf8 = new TextEncoder();

export default function prepare({ body, importId, batchNo, port }: IntakeTask): void {
  const send = (message: IntakeMessage, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  try {
    const checked = checkBatch(body, importId, batchNo);
    send({ summary: checked.ok ? success(checked.value.summary) : checked });
    if (!checked.ok) return;
    for (const part of checked.value.copyParts()) {
      // Encoded here, off the event loop, and moved, not copied: the main thread writes the bytes as they are.
      const text = utf8.encode(part.text);
      send({ part: { ...part, text } }, [text.buffer]);
    }
    send({ end: true });
  } finally {
    // Also when this throws: the port's close is how the pool learns that no more is coming.
    port.close();
  }
}
