// One source-side run, shared by `send`, `retry` and the agent: read the export folder, send it (or the refs a
// retry asks for), follow the processing, print the summary, save the error file beside the export, and turn the
// outcome into an exit code.
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { RECORD_TYPES } from '../contract.generated.ts';
import {
  ApiError,
  ExportChangedError,
  RetriesExhaustedError,
  ServerUnreachableError,
  StateConflictError,
  StateFileError,
  createApiClient,
  follow,
  removeState,
  retryImport,
  sendExport,
  type ApiClient,
  type ImportView,
  type RejectedRecord,
  type SendOptions,
  type SendResult,
} from '../index.ts';
import { MAPPING_FILE, planExport } from './export-plan.ts';
import { ExportReadError, readExport } from './export-reader.ts';
import { createProgress, summaryTable, type Progress } from './progress.ts';
import { EXIT, resolveSource, stateFileFor, type SourceOptions } from './source-options.ts';
import { count, sentence } from './wording.ts';

export type Transfer = { kind: 'send'; dryRun?: boolean } | { kind: 'retry'; importId: string } | { kind: 'fulfil'; importId: string };

/** A dry run keeps its own state file, so that it and a real send of the same folder never take each other up. */
const stateFileName = (transfer: Transfer) =>
  transfer.kind === 'fulfil'
    ? '.brightclient-agent.json'
    : transfer.kind === 'send' && transfer.dryRun
      ? '.brightclient-dry-run.json'
      : undefined;

export interface TransferOutcome {
  exitCode: number;
  view: ImportView | null;
  errorFile: string | null;
}

export const errorFilePath = (dir: string, importId: string) => path.join(dir, `brightclient-errors-${importId}.csv`);

/** A sentence for a person, for each way a run can fail. */
export function describeError(error: unknown): string {
  if (error instanceof ServerUnreachableError)
    return `No BrightClient server answers at ${error.server} — is it running? Check --server / BRIGHTCLIENT_URL.`;
  if (error instanceof ApiError) {
    const detail = error.problem.detail ?? error.problem.title ?? error.message;
    if (error.status === 401)
      return sentence(`The server refused the token (401): ${error.problem.detail ?? 'check --token or BRIGHTCLIENT_TOKEN'}`);
    if (error.status === 404) return sentence(`Not found (404): ${detail}`);
    return sentence(`The server answered ${error.status}: ${detail}`);
  }
  if (error instanceof RetriesExhaustedError)
    return `${sentence(error.message)} Nothing acknowledged is lost: run the same command again to resume.`;
  if (
    error instanceof ExportReadError ||
    error instanceof StateFileError ||
    error instanceof ExportChangedError ||
    error instanceof StateConflictError
  ) {
    return sentence(error.message);
  }
  return sentence(error instanceof Error ? error.message : String(error));
}

export function createClient(options: Pick<SourceOptions, 'server' | 'token'>, progress: Pick<Progress, 'log'>): ApiClient {
  const { server, token } = resolveSource(options);
  return createApiClient({
    server,
    token,
    onRetry: (info) =>
      progress.log(
        `${sentence(`${info.method} ${info.path}: ${info.reason}`)} Try ${info.attempt + 1} in ${(info.waitMs / 1000).toFixed(1)} s.`,
      ),
  });
}

async function saveRejected(dir: string, importId: string, rejected: RejectedRecord[]): Promise<string> {
  const file = path.join(dir, `brightclient-not-sent-${importId}.csv`);
  const rows = rejected.map((r) => ({ record_type: r.type, position: r.position, record_ref: r.ref, reason: r.reason }));
  await fs.writeFile(
    file,
    stringify(rows, { header: true, columns: ['record_type', 'position', 'record_ref', 'reason'], bom: true, record_delimiter: 'windows' }),
  );
  return file;
}

/**
 * Runs one transfer; `signal` aborts it (Ctrl-C). Writes the summary to `out`. Never throws: every failure is
 * told on stderr and becomes exit code 1 (130 when interrupted).
 */
export async function runTransfer(
  dir: string,
  options: SourceOptions,
  transfer: Transfer,
  signal: AbortSignal,
  out: NodeJS.WritableStream = process.stdout,
): Promise<TransferOutcome> {
  let progress: Progress = createProgress({ exportBytes: 0, quiet: true, stream: process.stderr });
  const stateFile = stateFileFor(dir, options, stateFileName(transfer));
  try {
    const plan = await planExport(dir, options.map);
    if (plan.problems.length > 0) {
      process.stderr.write(
        `${options.programName}: nothing was sent; the export cannot be read as it is:\n${plan.problems.map((p) => `  ${p}\n`).join('')}` +
          `Run \`${options.programName} map ${dir}\` to see how each column is read and write a starter ${MAPPING_FILE}.\n`,
      );
      return { exitCode: EXIT.cannotRun, view: null, errorFile: null };
    }
    const { files } = plan;
    progress = createProgress({ exportBytes: files.reduce((n, f) => n + f.bytes, 0), quiet: options.quiet || transfer.kind === 'fulfil' });
    if (plan.mappingFile) progress.log(`Columns mapped by ${plan.mappingFile}.`);
    for (const warning of plan.warnings) progress.log(`Warning: ${warning}`);
    const client = createClient(options, progress);
    const sendOptions: SendOptions = {
      stateFile,
      concurrency: options.concurrency,
      gzip: options.gzip,
      maxBatchBytes: options.batchBytes,
      signal,
      onEvent: (event) => progress.onSend(event),
    };
    const records = readExport(files, { mapping: plan.mapping });
    let result: SendResult;
    if (transfer.kind === 'retry') result = await retryImport(client, transfer.importId, records, sendOptions);
    else
      result = await sendExport(client, records, {
        ...sendOptions,
        ...(transfer.kind === 'fulfil' ? { importId: transfer.importId } : { dryRun: transfer.dryRun }),
      });
    progress.uploadDone(result);
    if (result.alreadySent) progress.log(`Import ${result.importId} had been sent in full before; following it.`);

    if (!options.wait) {
      progress.stop();
      out.write(
        `Import ${result.importId} is sent (${count(result.batchCount, 'batch')}) and processing; see ${client.server}/v1/imports/${result.importId}\n`,
      );
      return { exitCode: EXIT.ok, view: result.view, errorFile: null };
    }
    const view = await follow(client, result.importId, {
      signal,
      events: options.events,
      onProgress: (v) => progress.onProcessing(v),
      onMode: (mode, reason) => {
        if (mode === 'polling' && reason) progress.log(`Following by polling (${reason}).`);
      },
    });
    progress.stop();
    const processingMs = view.processingAt && view.completedAt ? Date.parse(view.completedAt) - Date.parse(view.processingAt) : null;
    out.write(`${summaryTable(view, result, processingMs)}\n`);

    let errorFile: string | null = null;
    if (view.errorFile) {
      errorFile = errorFilePath(dir, view.id);
      await client.downloadErrors(view.id, errorFile, { signal });
      out.write(`${view.dryRun ? 'Would-be error file' : 'Error file'}: ${errorFile}\n`);
    }
    if (result.rejected.length > 0) out.write(`Records not sent: ${await saveRejected(dir, view.id, result.rejected)}\n`);
    await removeState(stateFile);
    const failed = RECORD_TYPES.some((t) => view.counts[t].failed > 0) || result.rejected.length > 0;
    return { exitCode: failed ? EXIT.failures : EXIT.ok, view, errorFile };
  } catch (error) {
    progress.stop();
    if (error instanceof ApiError && error.hasCode('nothing_to_retry')) {
      out.write(`Nothing to retry: ${error.problem.detail ?? 'every failed record has been imported since.'}\n`);
      return { exitCode: EXIT.ok, view: null, errorFile: null };
    }
    if (signal.aborted) {
      process.stderr.write(`Interrupted. What was acknowledged is recorded in ${stateFile}: run the same command again to resume.\n`);
      return { exitCode: EXIT.interrupted, view: null, errorFile: null };
    }
    process.stderr.write(`${options.programName}: ${describeError(error)}\n`);
    return { exitCode: EXIT.cannotRun, view: null, errorFile: null };
  }
}

/** An AbortSignal that the first Ctrl-C (or SIGTERM) aborts; a second one exits at once. */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (name: string) => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort(new Error(`${name}: interrupted`));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  return controller.signal;
}
