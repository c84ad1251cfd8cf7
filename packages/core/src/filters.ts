/**
 * Filter patterns with OpenMetadata's semantics (`utils/filters.py`):
 * includes win (excludes are ignored when any include is given), matching is
 * case-insensitive and anchored at the start of the name (Python `re.match`).
 */
import { ConfigError } from './errors';

export interface FilterPattern {
  includes?: string[];
  excludes?: string[];
}

/** Python regex syntax that JavaScript spells differently. */
export function pythonRegexToJs(pattern: string): string {
  return pattern
    .replace(/^\(\?i\)/, '') // matching is case-insensitive anyway
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
}

/** Compiles one pattern the way `re.match(p, name, re.IGNORECASE)` applies it. */
export function compileFilterRegex(pattern: string): RegExp {
  return new RegExp(`^(?:${pythonRegexToJs(pattern)})`, 'i');
}

/** Returns the problem with a pattern, or undefined when it compiles. */
export function regexProblem(pattern: string): string | undefined {
  try {
    compileFilterRegex(pattern);
    return undefined;
  } catch (err) {
    return (err as Error).message.replace(/^Invalid regular expression: /, '');
  }
}

export class CompiledFilter {
  private readonly includes: RegExp[];
  private readonly excludes: RegExp[];

  constructor(pattern: FilterPattern | undefined, path = 'filterPattern') {
    const compile = (list: string[] | undefined, kind: string): RegExp[] =>
      (list ?? []).map((p, i) => {
        try {
          return compileFilterRegex(p);
        } catch (err) {
          throw ConfigError.single(
            `${path}.${kind}[${i}]`,
            `invalid regular expression ${JSON.stringify(p)}: ${(err as Error).message}`,
            'filter patterns are regular expressions matched from the start of the name, e.g. "sales.*" or ".*\\.csv$"',
          );
        }
      });
    this.includes = compile(pattern?.includes, 'includes');
    this.excludes = compile(pattern?.excludes, 'excludes');
  }

  /** True when the name must be filtered out. */
  filtersOut(name: string): boolean {
    if (this.includes.length > 0) return !this.includes.some((r) => r.test(name));
    return this.excludes.some((r) => r.test(name));
  }

  get isEmpty(): boolean {
    return this.includes.length === 0 && this.excludes.length === 0;
  }
}

/** One-shot form of `CompiledFilter.filtersOut`. */
export function filterOut(pattern: FilterPattern | undefined, name: string): boolean {
  return new CompiledFilter(pattern).filtersOut(name);
}
