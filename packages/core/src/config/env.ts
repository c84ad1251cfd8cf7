import type { ConfigViolation } from '../errors';

const REFERENCE = /\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ExpansionResult<T> {
  value: T;
  violations: ConfigViolation[];
  /** Names of the variables that were substituted (their values may be secrets). */
  used: Set<string>;
  /** Bare `$name` references left as written because the variable is not set (logged at DEBUG). */
  leftAsWritten: { path: string; name: string }[];
}

/**
 * Expands `$VAR`, `${VAR}` and `${VAR:-default}` in every string value (keys are left alone);
 * `$$` is a literal `$`. A `$` not followed by a name stays as it is, so regexes like `.*\.csv$`
 * need no escaping. Like OpenMetadata (Python's `os.path.expandvars`), an unset bare `$name` is
 * left as written, so a password such as `Xy$zz9+abc` works; an unset `${VAR}` without a default
 * is an error naming it and the path where it is used (a braced reference is clearly meant).
 */
export function expandEnv<T>(value: T, env: NodeJS.ProcessEnv = process.env): ExpansionResult<T> {
  const violations: ConfigViolation[] = [];
  const used = new Set<string>();
  const leftAsWritten: { path: string; name: string }[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') return expandString(node, path);
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}[${i}]`));
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) out[k] = walk(v, path ? `${path}.${k}` : k);
      return out;
    }
    return node;
  };
  const expandString = (text: string, path: string): string =>
    text.replace(REFERENCE, (match, braced: string | undefined, bare: string | undefined) => {
      if (match === '$$') return '$';
      let name = bare ?? braced ?? '';
      let fallback: string | undefined;
      if (braced !== undefined) {
        const sep = braced.indexOf(':-');
        if (sep >= 0) {
          name = braced.slice(0, sep);
          fallback = braced.slice(sep + 2);
        } else if (braced.indexOf('-') > 0 && NAME.test(braced.slice(0, braced.indexOf('-')))) {
          // `${VAR-default}`: default only when unset (POSIX), same as :- for our purposes.
          name = braced.slice(0, braced.indexOf('-'));
          fallback = braced.slice(braced.indexOf('-') + 1);
        }
        if (!NAME.test(name)) {
          violations.push({
            path,
            message: `"${match}" is not a valid environment variable reference`,
            hint: 'use ${NAME} or ${NAME:-default}; write $$ for a literal $',
          });
          return match;
        }
      }
      const current = env[name];
      if (current !== undefined && current !== '') {
        used.add(name);
        return current;
      }
      if (fallback !== undefined) return fallback;
      if (current === '') {
        used.add(name);
        return '';
      }
      if (bare !== undefined) {
        leftAsWritten.push({ path, name });
        return match;
      }
      violations.push({
        path,
        message: `environment variable ${name} is not set`,
        hint: `export ${name}=... before running, or give a default with \${${name}:-value}; write $$ for a literal $`,
      });
      return match;
    });
  return { value: walk(value, '') as T, violations, used, leftAsWritten };
}
