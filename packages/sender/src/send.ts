// Sending an export: start an import (or fill one, or resume the one a state file names), pack the records into
// batches, upload them a few at a time, and complete. Records of a retry import are narrowed to its `requested`
// refs. Interrupted sends resume from the state file without sending acknowledged batches again.
import { RECORD_TYPES, type RecordType } from './contract.generated.ts';
import { ApiError, type ApiClient } from './api-client.ts';
import { MAX_BATCH_BYTES, MAX_BATCH_RECORDS, packBatches, refOf, type Batch, type RecordSource, type RejectedRecord } from './packer.ts';
import { readState, removeState, StateFileError, StateStore, type SendState } from './state-file.ts';
import type { BatchReceipt, ImportView } from './types.ts';

export interface SendOptions {
  /** Where the send's state is kept so that an interrupted send can resume; null: no resume. */
  stateFile: string | null;
  /** Fill this existing import (a retry started elsewhere) instead of starting a new one. */
  importId?: string;
  /**
   * With `importId`: this run started that import (a retry it asked for), so it is cancelled like one started here
   * if the run stops before a batch was acknowledged. A retry pressed in the web UI is left waiting for a later run.
   */
  startedHere?: boolean;
  /**
   * Start a dry run instead of an import (not with `importId`): the server processes the export in full, matching
   * included, and completes with the counts and error file the import would have, but writes nothing.
   */
  dryRun?: boolean;
  /** Uploads at once (default 2). */
  concurrency?: number;
  /** gzip request bodies. */
  gzip?: boolean;
  /** Largest batch body in bytes (default and maximum 10,485,760). */
  maxBatchBytes?: number;
  maxBatchRecords?: number;
  signal?: AbortSignal;
  onEvent?: (event: SendEvent) => void;
}

export type SendEvent =
  | { kind: 'import'; view: ImportView; resumed: boolean; acknowledged: number }
  /** A batch goes on the wire now (its `batch` event follows once the server acknowledged it). */
  | { kind: 'sending'; n: number; sourceBytes: number }
  /** The run stopped before a batch was acknowledged and cancelled the import it had started (`done` false: it could not). */
  | { kind: 'cancelled'; importId: string; done: boolean }
  | {
      kind: 'batch';
      n: number;
      type: RecordType;
      records: number;
      bytes: number;
      sourceBytes: number;
      outcome: 'stored' | 'replayed' | 'acknowledged-before';
      receipt: BatchReceipt | null;
    }
  | { kind: 'passed-over'; bytes: number }
  | { kind: 'rejected'; record: RejectedRecord }
  | { kind: 'completed'; view: ImportView };

export interface SendResult {
  importId: string;
  /** The import as `complete` answered it (or as found, when everything had been sent before). */
  view: ImportView;
  /** Everything had been sent by an earlier run: nothing was read or uploaded now. */
  alreadySent: boolean;
  resumed: boolean;
  batchCount: number;
  batches: { stored: number; replayed: number; acknowledgedBefore: number };
  /** Records sent in batches, per type (this run and earlier runs of a resumed send). */
  records: Record<RecordType, number>;
  /** Body bytes uploaded by this run (before gzip). */
  uploadedBytes: number;
  /** Records found invalid at receipt by the server, in the batches this run uploaded. */
  invalidAtReceipt: number;
  /** Records not sent: too large for a batch. */
  rejected: RejectedRecord[];
  /** From the first upload to the acknowledgement of `complete`. */
  uploadMs: number;
}

/** The export no longer packs into the batches the interrupted send acknowledged. */
export class ExportChangedError extends Error {
  override name = 'ExportChangedError';
}

/** The state file holds another unfinished send than the one asked for. */
export class StateConflictError extends Error {
  override name = 'StateConflictError';
}

const emptyCounts = (): Record<RecordType, number> => ({ clients: 0, contacts: 0, addresses: 0 });

interface Target {
  store: StateStore | null;
  view: ImportView;
  resumed: boolean;
  alreadySent: boolean;
}

/**
 * The send a state file records, with its import as the server has it now; null without a state file. The state
 * file outlives `complete` until the caller removes it (`removeState`) after following the import to its end, so
 * a run interrupted while following picks up the same import. A state file naming an import this server does not
 * know is an error (another server or token).
 */
export async function pendingSend(
  client: ApiClient,
  stateFile: string,
  signal?: AbortSignal,
): Promise<{ state: SendState; view: ImportView } | null> {
  const state = await readState(stateFile);
  if (!state) return null;
  if (state.server !== client.server) {
    throw new StateFileError(
      `The state file ${stateFile} belongs to a send to ${state.server}, not ${client.server}; finish it there or delete the file.`,
    );
  }
  let view: ImportView;
  try {
    view = await client.getImport(state.importId, signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      throw new StateFileError(
        `The state file ${stateFile} names import ${state.importId}, which this server does not know for this token; delete the file to start a new import.`,
      );
    }
    throw error;
  }
  return { state, view };
}

function unfinishedElsewhere(state: SendState, stateFile: string): StateConflictError {
  const what = state.retryOf ? `retry of import ${state.retryOf}` : 'send';
  return new StateConflictError(
    `An unfinished ${what} (import ${state.importId}) is recorded in ${stateFile}; finish it first (run that command again) or delete the file.`,
  );
}

async function resolveTarget(client: ApiClient, options: SendOptions, settings: SendState['settings']): Promise<Target> {
  const pending = options.stateFile ? await pendingSend(client, options.stateFile, options.signal) : null;
  if (pending) {
    const { state, view } = pending;
    const sentBefore = state.batchCount !== null || view.status !== 'receiving';
    // Without an import to fill, the state's send is taken up only if it is a plain send too (not a retry's), and a
    // dry run only by a dry run.
    const same = options.importId ? options.importId === state.importId : state.retryOf === null && view.dryRun === Boolean(options.dryRun);
    if (same) return { store: new StateStore(options.stateFile!, state), view, resumed: true, alreadySent: sentBefore };
    if (!sentBefore) throw unfinishedElsewhere(state, options.stateFile!);
    // Else that send is over but for following it: this one starts afresh and takes the state file over.
  }
  const view = options.importId
    ? await client.getImport(options.importId, options.signal)
    : await client.startImport(options.signal, { dryRun: options.dryRun ?? false });
  if (view.status !== 'receiving') throw new StateConflictError(`Import ${view.id} is ${view.status}; it takes no more batches.`);
  const now = new Date().toISOString();
  const state: SendState = {
    version: 1,
    server: client.server,
    importId: view.id,
    retryOf: view.retryOf,
    settings,
    batches: {},
    batchCount: null,
    startedAt: now,
    updatedAt: now,
  };
  const store = options.stateFile ? new StateStore(options.stateFile, state) : null;
  await store?.save();
  return { store, view, resumed: false, alreadySent: false };
}

/** For a retry import: only its requested refs are sent. */
function selectRequested(view: ImportView): ((type: RecordType, record: unknown) => boolean) | undefined {
  if (!view.requested) return undefined;
  const wanted = Object.fromEntries(RECORD_TYPES.map((t) => [t, new Set(view.requested![t] ?? [])])) as Record<RecordType, Set<string>>;
  return (type, record) => {
    const ref = refOf(record);
    return ref !== null && wanted[type].has(ref);
  };
}

export async function sendExport(client: ApiClient, source: RecordSource, options: SendOptions): Promise<SendResult> {
  const emit = options.onEvent ?? (() => {});
  const requestedSettings = {
    maxBatchBytes: Math.min(options.maxBatchBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES),
    maxBatchRecords: Math.min(options.maxBatchRecords ?? MAX_BATCH_RECORDS, MAX_BATCH_RECORDS),
  };
  const target = await resolveTarget(client, options, requestedSettings);
  const { store, resumed } = target;
  const importId = target.view.id;
  const acknowledgedBefore = store ? Object.keys(store.state.batches).length : 0;
  emit({ kind: 'import', view: target.view, resumed, acknowledged: acknowledgedBefore });

  const result: SendResult = {
    importId,
    view: target.view,
    alreadySent: target.alreadySent,
    resumed,
    batchCount: store?.state.batchCount ?? target.view.batches.expected ?? 0,
    batches: { stored: 0, replayed: 0, acknowledgedBefore: 0 },
    records: emptyCounts(),
    uploadedBytes: 0,
    invalidAtReceipt: 0,
    rejected: [],
    uploadMs: 0,
  };
  if (target.alreadySent) return result;

  // A resumed send cuts its batches as the first run did, whatever this run was asked for.
  const settings = store?.state.settings ?? requestedSettings;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const started = performance.now();
  let failure: { error: unknown } | null = null;

  const changed = (detail: string) =>
    new ExportChangedError(
      `The export changed since import ${importId} was started: ${detail}. Put the export back as it was and run again, or delete ${options.stateFile ?? 'the state file'} to send it as a new import (records already imported are then skipped).`,
    );

  const upload = async (batch: Batch): Promise<void> => {
    const bytes = batch.body.length;
    let answer;
    emit({ kind: 'sending', n: batch.n, sourceBytes: batch.sourceBytes });
    try {
      answer = await client.putBatch(importId, batch.n, batch.body, { gzip: options.gzip ?? false, signal });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.hasCode('batch_content_differs')) {
        throw changed(`the server already holds a different batch ${batch.n}`);
      }
      throw error;
    } finally {
      // Answered (or given up): the body is not read again, and its buffer takes a later batch.
      batch.release();
    }
    const { status, receipt } = answer;
    if (receipt.sha256 !== batch.sha256) {
      throw new Error(`The server acknowledged batch ${batch.n} with SHA-256 ${receipt.sha256}, but ${batch.sha256} was sent.`);
    }
    await store?.acknowledge(batch.n, { type: batch.type, sha256: batch.sha256, records: batch.records });
    if (status === 202) result.batches.stored++;
    else result.batches.replayed++;
    result.uploadedBytes += bytes;
    result.invalidAtReceipt += receipt.records.invalid;
    emit({
      kind: 'batch',
      n: batch.n,
      type: batch.type,
      records: batch.records,
      bytes,
      sourceBytes: batch.sourceBytes,
      outcome: status === 202 ? 'stored' : 'replayed',
      receipt,
    });
  };

  const inFlight = new Set<Promise<void>>();
  const batches = packBatches(source, {
    maxBytes: settings.maxBatchBytes,
    maxRecords: settings.maxBatchRecords,
    select: selectRequested(target.view),
    onRejected: (record) => {
      result.rejected.push(record);
      emit({ kind: 'rejected', record });
    },
    onPassedOver: (bytes) => emit({ kind: 'passed-over', bytes }),
  });
  try {
    for await (const batch of batches) {
      result.batchCount = batch.n;
      result.records[batch.type] += batch.records;
      const acked = store?.state.batches[String(batch.n)];
      if (acked) {
        if (acked.sha256 !== batch.sha256 || acked.type !== batch.type)
          throw changed(`batch ${batch.n} (${batch.type}) is not the one sent before`);
        result.batches.acknowledgedBefore++;
        emit({
          kind: 'batch',
          n: batch.n,
          type: batch.type,
          records: batch.records,
          bytes: batch.body.length,
          sourceBytes: batch.sourceBytes,
          outcome: 'acknowledged-before',
          receipt: null,
        });
        batch.release();
        continue;
      }
      const task: Promise<void> = upload(batch).then(
        () => {
          inFlight.delete(task);
        },
        (error: unknown) => {
          inFlight.delete(task);
          failure ??= { error };
          stop.abort(error);
        },
      );
      inFlight.add(task);
      while (inFlight.size >= concurrency && !failure) await Promise.race(inFlight);
      if (failure) break;
    }
  } catch (error) {
    failure ??= { error };
    stop.abort(error);
  }
  await Promise.all(inFlight);
  const stopped = failure ?? (signal.aborted ? { error: signal.reason as unknown } : null);
  if (stopped) {
    // An import this run started that holds nothing yet (a CSV it cannot read, Ctrl-C before the first batch) is
    // cancelled instead of being left receiving: there is nothing in it to resume.
    const nothingAcknowledged = result.batches.stored + result.batches.replayed + result.batches.acknowledgedBefore === 0;
    if (!resumed && (options.importId === undefined || options.startedHere) && nothingAcknowledged) {
      const cancelled = await client.cancel(importId).then(
        () => true,
        () => false,
      );
      if (cancelled && options.stateFile) await removeState(options.stateFile);
      emit({ kind: 'cancelled', importId, done: cancelled });
    }
    throw stopped.error;
  }

  if (store) {
    const beyond = Object.keys(store.state.batches)
      .map(Number)
      .filter((n) => n > result.batchCount);
    if (beyond.length > 0) throw changed(`it now makes ${result.batchCount} batches, but batch ${beyond[0]} was sent before`);
  }
  result.view = await client.complete(importId, result.batchCount, signal);
  result.uploadMs = performance.now() - started;
  if (store) {
    store.state.batchCount = result.batchCount;
    await store.save();
  }
  emit({ kind: 'completed', view: result.view });
  return result;
}

/**
 * Retries the failed records of a completed import: starts a retry (the server lists the refs still failing in
 * `requested`), then sends those refs, read fresh from `source`, and completes it. An interrupted retry of the same
 * import recorded in the state file is resumed instead of starting another.
 */
export async function retryImport(client: ApiClient, importId: string, source: RecordSource, options: SendOptions): Promise<SendResult> {
  const pending = options.stateFile ? await pendingSend(client, options.stateFile, options.signal) : null;
  if (pending && pending.state.retryOf === importId) return sendExport(client, source, { ...options, importId: pending.state.importId });
  // Checked before starting the retry, so that no retry import is left behind unfilled.
  if (pending && pending.state.batchCount === null && pending.view.status === 'receiving')
    throw unfinishedElsewhere(pending.state, options.stateFile!);
  const retry = await client.startRetry(importId, options.signal);
  return sendExport(client, source, { ...options, importId: retry.id, startedHere: true });
}
