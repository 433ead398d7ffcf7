/**
 * Run and tag filters: each pattern is a glob or, between slashes, a JavaScript regular expression.
 *
 * Glob: `*` matches any characters except '/', `**` any characters including '/', `?` one character
 * except '/', `[abc]`/`[a-z]`/`[!abc]` a character class; the whole name must match. `/regex/flags`
 * (e.g. `/^run_[ab]$/`, `/LOSS/i`) searches anywhere in the name unless anchored.
 * Several patterns (repeated --run / --tag) are OR-ed; no pattern means "everything".
 */
import { Option } from 'commander';
import { UsageError } from './errors';

export type NameFilter = (name: string) => boolean;

export function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?'; // "**/" also matches nothing: "**/loss" matches "loss"
        } else re += '.*';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += '[' + body.replace(/\\/g, '\\\\') + ']';
      i = end;
    } else re += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

export function compilePattern(pattern: string, what = 'pattern'): NameFilter {
  const m = /^\/(.*)\/([dgimsuvy]*)$/s.exec(pattern);
  if (m && pattern.length >= 2) {
    let re: RegExp;
    try {
      re = new RegExp(m[1], m[2].replace(/[gy]/g, ''));
    } catch (err) {
      throw new UsageError(`invalid ${what} regular expression ${pattern}: ${(err as Error).message}`);
    }
    return (name) => re.test(name);
  }
  const re = globToRegExp(pattern);
  return (name) => re.test(name);
}

/** OR of the patterns; everything passes when there are none. */
export function makeFilter(patterns: readonly string[] | undefined, what = 'pattern'): NameFilter {
  if (!patterns || patterns.length === 0) return () => true;
  const fs = patterns.map((p) => compilePattern(p, what));
  return (name) => fs.some((f) => f(name));
}

/** Commander collector for repeatable options. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--run <pattern>` as every subcommand that reads runs spells it (a new Option per command). */
export function runFilterOption(): Option {
  return new Option('-r, --run <pattern>', 'only runs matching this glob or /regex/ (repeatable)').argParser(collect);
}

/** `--tag <pattern>`, the same for tags. */
export function tagFilterOption(): Option {
  return new Option('-t, --tag <pattern>', 'only tags matching this glob or /regex/ (repeatable)').argParser(collect);
}
