/**
 * A safe parser for the Python literals OpenMetadata writes into parameter values (what
 * `ast.literal_eval` accepts, minus dicts and complex numbers): strings ('…', "…", with r/u/b
 * prefixes, escapes and implicit concatenation), ints and floats (`1_000`, `1e3`, signs),
 * True/False/None, lists, tuples and sets. Nothing is ever evaluated.
 */
export type PyValue = string | number | boolean | null | PyValue[];

export class PythonLiteralError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at position ${position}`);
    this.name = 'PythonLiteralError';
  }
}

const MAX_DEPTH = 50;

export function parsePythonLiteral(text: string): PyValue {
  let i = 0;
  const n = text.length;

  const skip = () => {
    while (i < n && /\s/.test(text[i])) i++;
  };

  const parseString = (): string => {
    let raw = false;
    while (i < n && /[rRuUbB]/.test(text[i])) {
      if (text[i] === 'r' || text[i] === 'R') raw = true;
      i++;
    }
    const quote = text[i];
    if (quote !== "'" && quote !== '"') throw new PythonLiteralError('expected a string', i);
    const triple = text.startsWith(quote.repeat(3), i);
    const close = triple ? quote.repeat(3) : quote;
    i += close.length;
    let out = '';
    for (;;) {
      if (i >= n) throw new PythonLiteralError('unterminated string', i);
      if (text.startsWith(close, i)) {
        i += close.length;
        return out;
      }
      const c = text[i];
      if (!triple && (c === '\n' || c === '\r')) throw new PythonLiteralError('line break in a string', i);
      if (c === '\\' && i + 1 < n) {
        const e = text[i + 1];
        if (raw) {
          out += c + e;
          i += 2;
          continue;
        }
        i += 2;
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case '0': out += '\0'; break;
          case 'a': out += '\x07'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'v': out += '\v'; break;
          case '\\': out += '\\'; break;
          case "'": out += "'"; break;
          case '"': out += '"'; break;
          case '\n': break;
          case 'x':
          case 'u':
          case 'U': {
            const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
            const hex = text.slice(i, i + len);
            if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new PythonLiteralError(`bad \\${e} escape`, i);
            out += String.fromCodePoint(parseInt(hex, 16));
            i += len;
            break;
          }
          default:
            out += `\\${e}`; // Python keeps unknown escapes as written
        }
        continue;
      }
      out += c;
      i++;
    }
  };

  const parseNumber = (): number => {
    const m = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?/.exec(text.slice(i));
    if (!m) throw new PythonLiteralError('expected a value', i);
    i += m[0].length;
    const v = Number(m[0].replace(/_/g, ''));
    if (Number.isNaN(v)) throw new PythonLiteralError(`bad number ${m[0]}`, i);
    return v;
  };

  const parseSequence = (open: string, closeCh: string, depth: number): { items: PyValue[]; trailingComma: boolean } => {
    i++; // open
    const items: PyValue[] = [];
    let trailingComma = false;
    skip();
    if (text[i] === closeCh) {
      i++;
      return { items, trailingComma };
    }
    for (;;) {
      items.push(parseValue(depth + 1));
      skip();
      if (text[i] === ',') {
        i++;
        skip();
        trailingComma = true;
        if (text[i] === closeCh) {
          i++;
          return { items, trailingComma };
        }
        trailingComma = false;
        continue;
      }
      if (text[i] === closeCh) {
        i++;
        return { items, trailingComma };
      }
      throw new PythonLiteralError(`expected ',' or '${closeCh}' in ${open}…${closeCh}`, i);
    }
  };

  const parseValue = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) throw new PythonLiteralError('nesting too deep', i);
    skip();
    if (i >= n) throw new PythonLiteralError('unexpected end of input', i);
    const c = text[i];
    if (c === '[') return parseSequence('[', ']', depth).items;
    if (c === '{') {
      const { items } = parseSequence('{', '}', depth);
      if (items.length === 0) throw new PythonLiteralError('dicts are not supported', i);
      return items;
    }
    if (c === '(') {
      const { items, trailingComma } = parseSequence('(', ')', depth);
      return items.length === 1 && !trailingComma ? items[0] : items;
    }
    if (c === "'" || c === '"' || (/[rRuUbB]/.test(c) && /^[rRuUbB]{1,2}['"]/.test(text.slice(i, i + 3)))) {
      let s = parseString();
      for (;;) {
        const save = i;
        skip();
        if (i < n && (text[i] === "'" || text[i] === '"' || /^[rRuUbB]{1,2}['"]/.test(text.slice(i, i + 3)))) s += parseString();
        else {
          i = save;
          return s;
        }
      }
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))?.[0];
    if (word !== undefined) {
      i += word.length;
      if (word === 'True') return true;
      if (word === 'False') return false;
      if (word === 'None') return null;
      if (word === 'inf' || word === 'nan') throw new PythonLiteralError(`${word} is not a literal`, i - word.length);
      throw new PythonLiteralError(`names are not literals (${word})`, i - word.length);
    }
    return parseNumber();
  };

  const value = parseValue(0);
  skip();
  if (i < n) throw new PythonLiteralError(`unexpected '${text[i]}'`, i);
  return value;
}

/**
 * A list parameter (`allowedValues`, `forbiddenValues`, `missingValueMatch`): a Python list,
 * tuple or set literal; a single scalar literal is a one-item list.
 */
export function parseListParameter(text: string): PyValue[] {
  const v = parsePythonLiteral(text);
  return Array.isArray(v) ? v : [v];
}
