/**
 * Text: a DT_STRING tensor with the `text` plugin. A string is rank 0 (markdown), a string[] is
 * rank 1, a string[][] is rank 2 (TensorBoard renders it as a table).
 */
import { DataClass } from '../proto';
import { stringTensorObject } from './metadata';
import { argError, type Step } from './validate';
import type { ValueOptions, WriterContext } from './writer-context';

export type TextInput = string | readonly string[] | readonly (readonly string[])[];

const PLUGIN = 'text';

/** SummaryWriter.text(). */
export function writeText(ctx: WriterContext, tag: string, text: TextInput, step: Step, opts: ValueOptions): void {
  const wallTime = ctx.begin('text', tag, step, opts);
  const tensor = textTensor('SummaryWriter.text', text);
  ctx.emitValue(tag, step, wallTime, ctx.spec(PLUGIN, DataClass.TENSOR, opts), tensor, (t) => ({ tensor: t }));
}

function textTensor(method: string, text: unknown): Record<string, unknown> {
  if (typeof text === 'string') return stringTensorObject([], [text]);
  if (Array.isArray(text)) {
    if (text.length === 0) throw argError(method, 'text', 'a string, a non-empty string[] or a rectangular string[][]', text);
    if (text.every((t) => typeof t === 'string')) return stringTensorObject([text.length], text as string[]);
    if (text.every((r) => Array.isArray(r))) {
      const cols = (text[0] as unknown[]).length;
      const flat: string[] = [];
      text.forEach((row: unknown[], i) => {
        if (row.length !== cols || cols === 0) throw argError(method, `text[${i}]`, `a row of ${cols || 'at least 1'} strings (tables must be rectangular)`, row);
        row.forEach((c, j) => {
          if (typeof c !== 'string') throw argError(method, `text[${i}][${j}]`, 'a string', c);
          flat.push(c);
        });
      });
      return stringTensorObject([text.length, cols], flat);
    }
  }
  throw argError(method, 'text', 'a string (markdown), a string[] or a rectangular string[][] (table)', text);
}
