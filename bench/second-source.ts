// The second product of the benchmark's practice: BrightBooks's overlapping export (written by `generate
// --overlap-with`), sent before the measured import so that import's records are matched against it (SPEC §9).
import { createApiClient, sendExport } from '../packages/sender/src/index.ts';
import { findExportFiles, readExport } from '../packages/sender/src/cli/export-reader.ts';
import type { RunServer } from './server.ts';

export async function importSecondSource(run: RunServer, practiceId: string, dir: string): Promise<{ processingMs: number }> {
  const { token } = await run.admin<{ token: string }>(`/admin/practices/${practiceId}/tokens`, { source: 'brightbooks' });
  const client = createApiClient({ server: run.url, token });
  const sent = await sendExport(client, readExport(await findExportFiles(dir)), { stateFile: null, concurrency: 2 });
  let view = sent.view;
  while (view.status !== 'completed') {
    await new Promise((r) => setTimeout(r, 200));
    view = await client.getImport(sent.importId);
  }
  return { processingMs: new Date(view.completedAt!).getTime() - new Date(view.processingAt!).getTime() };
}
