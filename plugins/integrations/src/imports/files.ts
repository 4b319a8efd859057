// Reads an uploaded file as rows of text cells, streaming: csv-parse for CSV, exceljs's streaming
// workbook reader for XLSX (first worksheet). Row numbers are the spreadsheet's (header = row 1).
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

export type Format = 'csv' | 'xlsx';

export interface FileRow {
  rowNo: number;
  cells: string[];
}

export async function* readRows(file: Buffer, format: Format): AsyncGenerator<FileRow> {
  if (format === 'csv') {
    const parser = Readable.from([file]).pipe(
      parse({ bom: true, relax_column_count: true, skip_empty_lines: true }),
    );
    let rowNo = 0;
    for await (const cells of parser as AsyncIterable<string[]>) yield { rowNo: ++rowNo, cells };
    return;
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'emit',
  });
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as unknown[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      yield { rowNo: row.number, cells };
    }
    return; // the first worksheet only
  }
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.result !== undefined) return cellText(o.result);
    if (o.text !== undefined) return String(o.text);
    return '';
  }
  return String(v);
}
