// Which delimiter a CSV export uses. Spreadsheets write `,` — or `;` where the decimal separator is a comma (most
// of Europe) — and other tools tab or `|`. The header row decides (a delimiter that does not split it is not the
// delimiter); the first rows break ties: the true delimiter gives every row as many cells as the header.
import fs from 'node:fs/promises';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export const delimiterName = (d: Delimiter) => (d === '\t' ? 'tab' : `'${d}'`);

export interface Head {
  text: string;
  /** The whole file: its last line is complete even without a line break. */
  whole: boolean;
}

/** The first `bytes` of a file as text, without a byte-order mark. */
export async function readHead(file: string, bytes = 64 * 1024): Promise<Head> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes + 1);
    const { bytesRead } = await handle.read(buffer, 0, bytes + 1, 0);
    const text = new TextDecoder().decode(buffer.subarray(0, Math.min(bytesRead, bytes)));
    return { text: text.replace(/^\uFEFF/, ''), whole: bytesRead <= bytes };
  } finally {
    await handle.close();
  }
}

/** Cells per non-blank record of `text` split by `delimiter`, honouring quotes; a record cut off at the end is left out. */
function cellCounts(text: string, delimiter: string, maxRecords: number): number[] {
  const counts: number[] = [];
  let cells = 1;
  let blank = true;
  let quoted = false;
  for (let i = 0; i < text.length && counts.length < maxRecords; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    if (quoted) {
      blank = false;
      continue;
    }
    if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (!blank) counts.push(cells);
      cells = 1;
      blank = true;
    } else {
      blank = false;
      if (c === delimiter) cells++;
    }
  }
  return counts;
}

export function sniffDelimiter(head: Head): Delimiter {
  const text = head.whole ? `${head.text}\n` : head.text;
  let best: { delimiter: Delimiter; consistent: number; cells: number } | null = null;
  for (const delimiter of DELIMITERS) {
    const [header = 1, ...rows] = cellCounts(text, delimiter, 21);
    if (header < 2) continue;
    const consistent = rows.length === 0 ? 1 : rows.filter((n) => n === header).length / rows.length;
    if (!best || consistent > best.consistent || (consistent === best.consistent && header > best.cells))
      best = { delimiter, consistent, cells: header };
  }
  return best?.delimiter ?? ',';
}
