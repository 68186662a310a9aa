// The state file of a send in progress: which import it fills, how its batches were cut, and each acknowledged
// batch's number and SHA-256. Re-running the same send reads the export again, packs it into the same batches,
// skips those acknowledged with the same hash and stops if one differs (the export changed meanwhile).
// Written atomically (temp file + rename) after every acknowledgement, so a kill at any moment leaves the last
// good state; a batch acknowledged but not yet recorded is sent again and the server answers it as a replay.
import fs from 'node:fs/promises';
import type { RecordType } from './contract.generated.ts';

export interface AckedBatch {
  type: RecordType;
  sha256: string;
  records: number;
}

export interface SendState {
  version: 1;
  server: string;
  importId: string;
  retryOf: string | null;
  /** The packing settings of the first run; a resumed run must cut the same batches. */
  settings: { maxBatchBytes: number; maxBatchRecords: number };
  batches: Record<string, AckedBatch>;
  /** Set once `complete` was acknowledged: everything was sent. */
  batchCount: number | null;
  startedAt: string;
  updatedAt: string;
}

export class StateFileError extends Error {
  override name = 'StateFileError';
}

export async function readState(file: string): Promise<SendState | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let state: Partial<SendState>;
  try {
    state = JSON.parse(text) as Partial<SendState>;
  } catch {
    throw new StateFileError(`The state file ${file} is not valid JSON; delete it to start a new import.`);
  }
  if (state.version !== 1 || typeof state.importId !== 'string' || typeof state.server !== 'string' || !state.batches || !state.settings) {
    throw new StateFileError(`The state file ${file} is not one this version of brightclient wrote; delete it to start a new import.`);
  }
  return state as SendState;
}

/** Holds the state in memory and writes it through, one write at a time, in the order of the changes. */
export class StateStore {
  readonly file: string;
  readonly state: SendState;
  #writing: Promise<void> = Promise.resolve();

  constructor(file: string, state: SendState) {
    this.file = file;
    this.state = state;
  }

  save(): Promise<void> {
    this.state.updatedAt = new Date().toISOString();
    const text = `${JSON.stringify(this.state, null, 1)}\n`;
    const write = async () => {
      const temp = `${this.file}.${process.pid}.tmp`;
      await fs.writeFile(temp, text);
      await fs.rename(temp, this.file);
    };
    this.#writing = this.#writing.then(write, write);
    return this.#writing;
  }

  async acknowledge(n: number, batch: AckedBatch): Promise<void> {
    this.state.batches[String(n)] = batch;
    await this.save();
  }
}

/** Deletes the state file once the import it names has been followed to its end (nothing to resume any more). */
export async function removeState(file: string): Promise<void> {
  await fs.rm(file, { force: true });
}
