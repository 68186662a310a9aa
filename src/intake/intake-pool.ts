// Intake threads (by default one fewer than the cores, see config.ts): parsing and checking a 10 MB batch is
// 0.2–0.5 s of CPU, so it runs off the event loop, one batch per thread. Each batch is parsed once, by one thread;
// a batch that finds every thread busy waits for one instead of sharing a core (never more batches parsed at once
// than threads). The thread answers the batch's summary as soon as it is checked, then makes its COPY text while
// the receipt is held and answered, and staging COPYs each part as it comes (the text of a batch is never held
// whole).
import { on } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { success, type Outcome } from '../domain/outcome.ts';
import type { IntakeMessage, IntakeTask } from './intake.worker.ts';
import type { BatchSummary, CopyPart } from './prepare-batch.ts';
import { sharedBytes } from './read-body.ts';

export interface PreparedBatch extends BatchSummary {
  /** The batch's COPY text, in parts (UTF-8 bytes), as its thread makes them; read once, by staging. */
  copyParts: AsyncIterable<CopyPart>;
}

export interface IntakePool {
  prepare(body: Buffer, importId: string, batchNo: number): Promise<Outcome<PreparedBatch>>;
  close(): Promise<void>;
}

/** The parts that follow the summary, up to the end; a thread that stopped before the end is an error, never a short batch. */
async function* copyPartsFrom(messages: AsyncIterator<IntakeMessage[]>): AsyncGenerator<CopyPart> {
  try {
    for (;;) {
      const next = await messages.next();
      if (next.done) throw new Error("the intake thread stopped before the end of the batch's COPY text");
      const [message] = next.value;
      if ('end' in message!) return;
      if ('part' in message!) yield message.part;
    }
  } finally {
    await messages.return?.();
  }
}

export function createIntakePool(threads: number): IntakePool {
  const pool = new Piscina<IntakeTask, void>({
    filename: new URL('./intake.worker.ts', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    // A 10 MB batch parses into ~60 MB of objects; a small old generation makes each thread collect early instead
    // of growing (measured on 100,000 records: server peak RSS 705 MB without limits, 428 MB with 160 / 16 MB, and
    // 480 → 432 MB from 160 / 16 to 112 / 8 MB; 100,000 empty records with 600,000 errors still fit).
    resourceLimits: { maxOldGenerationSizeMb: 112, maxYoungGenerationSizeMb: 8 },
  });
  return {
    prepare: async (body, importId, batchNo) => {
      // The thread reads the body on shared memory (readBody's bodies are; another is copied there once).
      const shared = body.buffer instanceof SharedArrayBuffer ? body : sharedBytes([body], body.length);
      const { port1, port2 } = new MessageChannel();
      // The thread closes its port when it is done, however it ends, which ends these messages.
      const messages = on(port1, 'message', { close: ['close'] }) as AsyncIterator<IntakeMessage[]>;
      const task = pool.run({ body: shared, importId, batchNo, port: port2 }, { transferList: [port2] });
      const first = await messages.next();
      if (first.done) {
        await task; // rethrows what stopped the thread
        throw new Error('the intake thread sent no summary');
      }
      // From here a failure shows as parts without their end (copyPartsFrom), which fails the staging.
      task.catch(() => {});
      const [message] = first.value;
      if (!message || !('summary' in message)) throw new Error('the intake thread sent parts before the summary');
      if (!message.summary.ok) return message.summary;
      return success({ ...message.summary.value, copyParts: copyPartsFrom(messages) });
    },
    close: () => pool.destroy(),
  };
}
