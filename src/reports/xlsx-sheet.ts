// A one-sheet Excel workbook (Office Open XML, .xlsx) streamed from rows: a bold, frozen header row and every cell
// an inline *text* cell with the Text number format (`@`). A text cell is never a formula, so a value such as
// `=HYPERLINK(…)` or `+44 113…` shows as written and nothing is evaluated, with no apostrophe in front; and the
// file states its encoding, so `Zoë Brontë` opens as such in Excel and LibreOffice alike, whatever their import
// defaults. The zip container comes from fflate; the sheet is written here, page by page, so memory stays flat
// and a slow download holds back the database reads (docs/decisions.md says why this and not a workbook library).
import { Readable } from 'node:stream';
import { Zip, ZipDeflate, strToU8 } from 'fflate';

/** Excel's limits: rows per sheet and characters per cell. */
export const XLSX_MAX_ROWS = 1_048_576;
const MAX_CELL_CHARS = 32_767;

export type Cell = string | number | boolean | null;

// XML 1.0 cannot hold most control characters or lone surrogates; they become U+FFFD. `_xHHHH_` is Excel's own
// escape inside strings, so a literal one is escaped (`_x005F_`) to show as written.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu; // the complement of XML 1.0's Char
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function xmlText(value: string): string {
  return value
    .slice(0, MAX_CELL_CHARS)
    .replace(NOT_XML, '\uFFFD')
    .replace(/_x[0-9A-Fa-f]{4}_/g, (m) => `_x005F${m}`)
    .replace(/[&<>"]/g, (c) => XML_ESCAPES[c]!);
}

function columnLetters(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Style 1: text format; style 2: text format, bold (the header). */
function rowXml(rowNo: number, cells: readonly Cell[], style: 1 | 2): string {
  const cellsXml = cells
    .map((cell, i) =>
      cell === null || cell === ''
        ? ''
        : `<c r="${columnLetters(i)}${rowNo}" s="${style}" t="inlineStr"><is><t xml:space="preserve">${xmlText(String(cell))}</t></is></c>`,
    )
    .join('');
  return `<row r="${rowNo}">${cellsXml}</row>`;
}

const NS = 'http://schemas.openxmlformats.org';
const PARTS = (sheetName: string) => ({
  '[Content_Types].xml':
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="${NS}/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '</Types>',
  '_rels/.rels':
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${NS}/package/2006/relationships">` +
    `<Relationship Id="rId1" Type="${NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  'xl/workbook.xml':
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="${NS}/spreadsheetml/2006/main" ` +
    `xmlns:r="${NS}/officeDocument/2006/relationships"><sheets><sheet name="${xmlText(sheetName.slice(0, 31))}" sheetId="1" r:id="rId1"/>` +
    '</sheets></workbook>',
  'xl/_rels/workbook.xml.rels':
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${NS}/package/2006/relationships">` +
    `<Relationship Id="rId1" Type="${NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
    `<Relationship Id="rId2" Type="${NS}/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
  // numFmtId 49 is the built-in Text format (`@`).
  'xl/styles.xml':
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="${NS}/spreadsheetml/2006/main">` +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
    '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/></cellXfs>' +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
});

const sheetStart = (columns: number) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${NS}/spreadsheetml/2006/main">` +
  '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
  `<cols><col min="1" max="${columns}" width="20" customWidth="1"/></cols><sheetData>`;

/**
 * The workbook's bytes as a stream: `header` in row 1, then one row per element of `rows`. Rows are read only as
 * fast as the stream is consumed. Past Excel's row limit the sheet ends with a row saying so.
 */
export function xlsxSheet(sheetName: string, header: readonly string[], rows: AsyncIterable<readonly Cell[]>): Readable {
  return Readable.from(
    (async function* () {
      const out: Uint8Array[] = [];
      let failure: Error | null = null;
      const zip = new Zip((error, chunk) => {
        if (error) failure = error;
        else out.push(chunk);
      });
      const drain = () => {
        if (failure) throw failure;
        return out.splice(0);
      };
      for (const [name, text] of Object.entries(PARTS(sheetName))) {
        const part = new ZipDeflate(name, { level: 6 });
        zip.add(part);
        part.push(strToU8(text), true);
      }
      const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 });
      zip.add(sheet);
      let xml = sheetStart(header.length) + rowXml(1, header, 2);
      let rowNo = 1;
      for await (const row of rows) {
        if (rowNo === XLSX_MAX_ROWS - 1) {
          xml += rowXml(rowNo + 1, [`The sheet stops here: Excel holds at most ${XLSX_MAX_ROWS} rows. The CSV has every row.`], 1);
          break;
        }
        xml += rowXml(++rowNo, row, 1);
        if (xml.length > 256 * 1024) {
          sheet.push(strToU8(xml));
          xml = '';
          yield* drain();
        }
      }
      sheet.push(strToU8(`${xml}</sheetData></worksheet>`), true);
      zip.end();
      yield* drain();
    })(),
  );
}
