/**
 * `--group-by`: comma-separated hparam names (`use_bn,learning_rate`), or a run-name glob with
 * `{name}` placeholders (`'{bn}-lr{lr}-s*'`): the same glob as --run, each placeholder capturing
 * the shortest run of characters (no '/') that lets the whole name match.
 */
import { SEED_HPARAM, type GroupBy } from '../aggregate';
import { UsageError } from './errors';
import { globToRegExp } from './filters';

export interface ParsedGroupBy {
  by: GroupBy;
  /** How the runs were grouped, in words (for the table's note and --json). */
  text: string;
}

/** The default when runs record a seed: every hparam except it. */
export const DEFAULT_GROUP_BY: ParsedGroupBy = { by: {}, text: `every hparam except ${SEED_HPARAM}` };

export function parseGroupBy(spec: string): ParsedGroupBy {
  if (spec.includes('{')) {
    // globToRegExp escapes the braces: `{bn}` arrives as `\{bn\}` and becomes a named capture.
    const source = globToRegExp(spec).source.replace(/\\\{([A-Za-z_][A-Za-z0-9_]*)\\\}/g, '(?<$1>[^/]+?)');
    if (/\\[{}]/.test(source)) throw new UsageError(`--group-by ${spec}: a placeholder is {name} with a name of letters, digits and _`);
    let re: RegExp;
    try {
      re = new RegExp(source);
    } catch (e) {
      throw new UsageError(`--group-by ${spec}: ${(e as Error).message} (is a placeholder name used twice?)`);
    }
    return { by: { namePattern: re }, text: `run names matching ${spec}` };
  }
  const keys = spec.split(',').map((k) => k.trim()).filter((k) => k !== '');
  if (keys.length === 0) throw new UsageError(`--group-by: expected hparam names (use_bn,learning_rate) or a run-name pattern with {name} placeholders ('{bn}-lr{lr}-s*')`);
  return { by: { hparams: keys }, text: `hparams ${keys.join(', ')}` };
}
