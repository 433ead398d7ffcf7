/**
 * Text: a DT_STRING tensor with the `text` plugin, rendered by TensorBoard as markdown. A string is
 * rank 0 (markdown), a string[] is rank 1 (a one-column table).
 *
 * A string[][] is a table whose first row is its header: written as ONE markdown table string
 * (`| a | b |` / `| --- | --- |` / rows), since TensorBoard renders a rank-2 tensor as a table
 * without a header row (text_plugin.py's make_table gets no headers). `{ header: false }` writes
 * the rank-2 tensor instead, as TensorBoard's own text summary does for a 2-D array: every row is
 * a body row. Each cell is markdown either way.
 */
import { DataClass } from '../proto';
import { stringTensorObject } from './metadata';
import { argError, type Step } from './validate';
import type { ValueOptions, WriterContext } from './writer-context';

export type TextInput = string | readonly string[] | readonly (readonly string[])[];

export interface TextOptions extends ValueOptions {
  /** A string[][]'s first row is the table's header (default true); false: every row is a body row. */
  header?: boolean;
}

const PLUGIN = 'text';
const EXPECTED = 'a string (markdown), a string[] or a rectangular string[][] (table)';

/** SummaryWriter.text(). */
export function writeText(ctx: WriterContext, tag: string, text: TextInput, step: Step, opts: TextOptions): void {
  const method = 'SummaryWriter.text';
  const wallTime = ctx.begin('text', tag, step, opts);
  if (opts.header !== undefined && typeof opts.header !== 'boolean') throw argError(method, 'options.header', 'true or false', opts.header);
  const tensor = textTensor(method, text, opts.header ?? true);
  ctx.emitValue(tag, step, wallTime, ctx.spec(PLUGIN, DataClass.TENSOR, opts), tensor, (t) => ({ tensor: t }));
}

function textTensor(method: string, text: unknown, header: boolean): Record<string, unknown> {
  if (typeof text === 'string') return stringTensorObject([], [text]);
  if (!Array.isArray(text) || text.length === 0) throw argError(method, 'text', EXPECTED, text);
  if (text.every((t) => typeof t === 'string')) return stringTensorObject([text.length], text as string[]);
  if (!text.every((r) => Array.isArray(r))) throw argError(method, 'text', EXPECTED, text);
  const rows = text as unknown[][];
  const cols = rows[0].length;
  rows.forEach((row, i) => {
    if (row.length !== cols || cols === 0) throw argError(method, `text[${i}]`, `a row of ${cols || 'at least 1'} strings (tables must be rectangular)`, row);
    row.forEach((c, j) => {
      if (typeof c !== 'string') throw argError(method, `text[${i}][${j}]`, 'a string', c);
    });
  });
  const cells = rows as string[][];
  if (!header) return stringTensorObject([rows.length, cols], cells.flat());
  return stringTensorObject([], [markdownTable(cells)]);
}

/** A markdown table (Python-Markdown's tables extension, which TensorBoard enables), first row the header. */
function markdownTable(rows: readonly (readonly string[])[]): string {
  // A `|` would end the cell and a line break the row: `\|` is a literal pipe, <br> keeps the break.
  const cell = (c: string): string => c.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
  const line = (r: readonly string[]): string => `| ${r.map(cell).join(' | ')} |`;
  return [line(rows[0]), line(rows[0].map(() => '---')), ...rows.slice(1).map(line)].join('\n');
}
