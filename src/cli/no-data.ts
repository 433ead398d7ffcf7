/**
 * "Nothing to show" is one error in every subcommand: `inspect`, `export` and `compare` exit 2, as
 * for a usage error, with one line naming what was selected. common.ts covers no runs and no run
 * matching --run; this covers no tag matching --tag, and runs without a single scalar.
 */
import { UsageError } from './errors';

/** `kind`: what the subcommand shows ('scalar' for export and compare, 'tag' for inspect). */
export function nothingToShow(kind: 'scalar' | 'tag', tagPatterns?: readonly string[]): UsageError {
  if (tagPatterns && tagPatterns.length > 0) {
    return new UsageError(`no ${kind === 'scalar' ? 'scalar tag' : 'tag'} of the selected runs matches --tag ${tagPatterns.map((p) => JSON.stringify(p)).join(', ')}`);
  }
  return new UsageError(`the selected runs hold no ${kind === 'scalar' ? 'scalars' : 'tags'}`);
}
