/**
 * The safe expression subset of `tableCustomSQLQuery`: a tokenizer, a recursive-descent parser
 * and a closure compiler. Nothing is ever evaluated as code: identifiers can only name columns,
 * and function calls, attribute access, arithmetic, subqueries and joins are rejected.
 *
 * Grammar (keywords case-insensitive):
 *   query     := [ SELECT ( '*' | COUNT '(' ( '*' | number ) ')' ) FROM table [ WHERE expr ] | expr ] [';']
 *   table     := name ( '.' name )*
 *   expr      := and ( ( OR | '||' | '|' ) and )*
 *   and       := not ( ( AND | '&&' | '&' ) not )*
 *   not       := ( NOT | '!' | '~' ) not | predicate
 *   predicate := '(' expr ')'
 *              | operand ( cmp operand
 *                        | IS [NOT] ( NULL | None )
 *                        | [NOT] IN list
 *                        | [NOT] ( LIKE | ILIKE ) string
 *                        | [NOT] BETWEEN operand AND operand )
 *              | boolean-column
 *   cmp       := '=' | '==' | '!=' | '<>' | '<' | '<=' | '>' | '>='
 *   list      := '(' literal ( ',' literal )* ')' | '[' literal ( ',' literal )* ']'
 *   operand   := column | literal
 *   column    := identifier | `back-quoted` | "double-quoted" (when it names a column)
 *   literal   := number | '-' number | 'string' | "string" (when no column has that name)
 *              | TRUE | FALSE | NULL | True | False | None
 * Semantics are SQL's: comparisons with NULL are unknown, AND/OR/NOT use three-valued logic, a
 * row matches when the condition is true. Unparseable values behave as NULL.
 */
import { OmError } from '@om/core';
import { INVALID, NULL, type Coerced, type Coercer } from '../metrics/types';

/** A `tableCustomSQLQuery` condition outside the supported subset (the user's to fix). */
export class ExpressionError extends OmError {}

export type Literal = number | string | boolean | null;
export type Operand = { t: 'col'; name: string } | { t: 'lit'; v: Literal };
export type ConditionNode =
  | { t: 'and' | 'or'; a: ConditionNode; b: ConditionNode }
  | { t: 'not'; a: ConditionNode }
  | { t: 'const'; v: boolean }
  | { t: 'cmp'; op: '=' | '!=' | '<' | '<=' | '>' | '>='; l: Operand; r: Operand }
  | { t: 'isnull'; o: Operand; negate: boolean }
  | { t: 'in'; o: Operand; list: Literal[]; negate: boolean }
  | { t: 'like'; o: Operand; pattern: string; ci: boolean; negate: boolean }
  | { t: 'between'; o: Operand; lo: Operand; hi: Operand; negate: boolean }
  | { t: 'truthy'; o: Operand };

type Tok =
  | { k: 'num'; v: number; p: number }
  | { k: 'str' | 'dq' | 'bt' | 'id'; v: string; p: number }
  | { k: 'op'; v: string; p: number }
  | { k: 'eof'; p: number };

const MAX_LENGTH = 10_000;
const MAX_DEPTH = 64;
const OPS = ['==', '!=', '<>', '<=', '>=', '&&', '||', '=', '<', '>', '(', ')', ',', '[', ']', '*', ';', '&', '|', '~', '!', '.', '-'];

export function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') throw new ExpressionError('comments are not supported');
    if (c === "'" || c === '"' || c === '`') {
      const start = i;
      i++;
      let s = '';
      for (;;) {
        if (i >= n) throw new ExpressionError(`unterminated ${c === '`' ? 'quoted name' : 'string'} starting at position ${start}`);
        if (text[i] === c) {
          if (text[i + 1] === c) {
            s += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (text[i] === '\\' && c !== '`' && i + 1 < n && (text[i + 1] === c || text[i + 1] === '\\')) {
          s += text[i + 1];
          i += 2;
          continue;
        }
        s += text[i++];
      }
      toks.push({ k: c === "'" ? 'str' : c === '"' ? 'dq' : 'bt', v: s, p: start });
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (num) {
      const after = text[i + num[0].length];
      if (after !== undefined && /[A-Za-z_]/.test(after)) throw new ExpressionError(`unexpected '${after}' after number at position ${i}`);
      toks.push({ k: 'num', v: Number(num[0]), p: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_$\u00C0-\uFFFF]*/.exec(text.slice(i, i + 512));
    if (id) {
      toks.push({ k: 'id', v: id[0], p: i });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected character '${c}' at position ${i}`);
    toks.push({ k: 'op', v: op, p: i });
    i += op.length;
  }
  toks.push({ k: 'eof', p: n });
  return toks;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'none', 'in', 'like', 'ilike', 'between', 'true', 'false', 'select', 'from', 'where', 'count']);

export interface ParsedCondition {
  condition: ConditionNode;
  /** Column names the condition reads. */
  columns: string[];
}

/**
 * Parses a condition or a `SELECT * | COUNT(*) FROM t [WHERE cond]` query over the given
 * columns. Throws ExpressionError with a clear message for anything outside the subset.
 */
export function parseCondition(text: string, columnNames: string[]): ParsedCondition {
  if (text.length > MAX_LENGTH) throw new ExpressionError(`expression longer than ${MAX_LENGTH} characters`);
  const toks = tokenize(text);
  let pos = 0;
  let depth = 0;
  const used = new Set<string>();
  const exact = new Set(columnNames);
  const lower = new Map<string, string[]>();
  for (const c of columnNames) lower.set(c.toLowerCase(), [...(lower.get(c.toLowerCase()) ?? []), c]);

  const peek = (o = 0): Tok => toks[Math.min(pos + o, toks.length - 1)];
  const next = (): Tok => toks[pos++];
  const isKw = (t: Tok, kw: string) => t.k === 'id' && t.v.toLowerCase() === kw;
  const isOp = (t: Tok, op: string) => t.k === 'op' && t.v === op;
  const describe = (t: Tok) => (t.k === 'eof' ? 'end of input' : `'${'v' in t ? t.v : ''}' at position ${t.p}`);
  const expectOp = (op: string) => {
    const t = next();
    if (!isOp(t, op)) throw new ExpressionError(`expected '${op}' but found ${describe(t)}`);
  };
  const columnNamed = (name: string): string | undefined => {
    if (exact.has(name)) return name;
    const candidates = lower.get(name.toLowerCase());
    return candidates && candidates.length === 1 ? candidates[0] : undefined;
  };
  const useColumn = (name: string, t: Tok): Operand => {
    const col = columnNamed(name);
    if (!col) throw new ExpressionError(`unknown column '${name}' at position ${t.p}`);
    used.add(col);
    return { t: 'col', name: col };
  };

  const literal = (): Literal => {
    const t = next();
    if (t.k === 'num') return t.v;
    if (t.k === 'str' || t.k === 'dq') return t.v;
    if (isOp(t, '-')) {
      const n = next();
      if (n.k !== 'num') throw new ExpressionError(`expected a number after '-' at position ${t.p}`);
      return -n.v;
    }
    if (isKw(t, 'true')) return true;
    if (isKw(t, 'false')) return false;
    if (isKw(t, 'null') || isKw(t, 'none')) return null;
    throw new ExpressionError(`expected a literal value but found ${describe(t)}`);
  };

  const operand = (): Operand => {
    const t = peek();
    if (t.k === 'id' && !KEYWORDS.has(t.v.toLowerCase())) {
      next();
      if (isOp(peek(), '(')) throw new ExpressionError(`function calls are not supported (${t.v}(...) at position ${t.p})`);
      if (isOp(peek(), '.')) throw new ExpressionError(`attribute access is not supported ('${t.v}.' at position ${t.p})`);
      return useColumn(t.v, t);
    }
    if (t.k === 'id' && isKw(t, 'count') && isOp(peek(1), '(')) throw new ExpressionError(`aggregate functions are not supported (COUNT at position ${t.p})`);
    if (t.k === 'bt') {
      next();
      return useColumn(t.v, t);
    }
    if (t.k === 'dq' && columnNamed(t.v)) {
      next();
      return useColumn(t.v, t);
    }
    return { t: 'lit', v: literal() };
  };

  const list = (): Literal[] => {
    const open = next();
    const close = isOp(open, '(') ? ')' : isOp(open, '[') ? ']' : undefined;
    if (!close) throw new ExpressionError(`expected a list '(…)' after IN but found ${describe(open)}`);
    const items: Literal[] = [];
    if (isOp(peek(), close)) {
      next();
      return items;
    }
    for (;;) {
      if (isKw(peek(), 'select')) throw new ExpressionError('subqueries are not supported');
      items.push(literal());
      const t = next();
      if (isOp(t, ',')) {
        if (isOp(peek(), close)) {
          next();
          return items;
        }
        continue;
      }
      if (isOp(t, close)) return items;
      throw new ExpressionError(`expected ',' or '${close}' in the IN list but found ${describe(t)}`);
    }
  };

  const predicate = (): ConditionNode => {
    if (isOp(peek(), '(')) {
      next();
      if (isKw(peek(), 'select')) throw new ExpressionError('subqueries are not supported');
      const e = expr();
      expectOp(')');
      return e;
    }
    const start = peek();
    const o = operand();
    const t = peek();
    if (t.k === 'op' && ['=', '==', '!=', '<>', '<', '<=', '>', '>='].includes(t.v)) {
      next();
      const r = operand();
      const op = t.v === '==' ? '=' : t.v === '<>' ? '!=' : (t.v as '=' | '!=' | '<' | '<=' | '>' | '>=');
      return { t: 'cmp', op, l: o, r };
    }
    if (isKw(t, 'is')) {
      next();
      let negate = false;
      if (isKw(peek(), 'not')) {
        next();
        negate = true;
      }
      const n = next();
      if (!isKw(n, 'null') && !isKw(n, 'none')) throw new ExpressionError(`expected NULL after IS but found ${describe(n)}`);
      return { t: 'isnull', o, negate };
    }
    let negate = false;
    if (isKw(t, 'not')) {
      const after = peek(1);
      if (isKw(after, 'in') || isKw(after, 'like') || isKw(after, 'ilike') || isKw(after, 'between')) {
        next();
        negate = true;
      }
    }
    const k = peek();
    if (isKw(k, 'in')) {
      next();
      return { t: 'in', o, list: list(), negate };
    }
    if (isKw(k, 'like') || isKw(k, 'ilike')) {
      next();
      const p = next();
      if (p.k !== 'str' && p.k !== 'dq') throw new ExpressionError(`expected a quoted pattern after LIKE but found ${describe(p)}`);
      return { t: 'like', o, pattern: p.v, ci: isKw(k, 'ilike'), negate };
    }
    if (isKw(k, 'between')) {
      next();
      const lo = operand();
      const a = next();
      if (!isKw(a, 'and')) throw new ExpressionError(`expected AND in BETWEEN but found ${describe(a)}`);
      const hi = operand();
      return { t: 'between', o, lo, hi, negate };
    }
    if (o.t === 'col') return { t: 'truthy', o };
    if (o.t === 'lit' && typeof o.v === 'boolean') return { t: 'const', v: o.v };
    throw new ExpressionError(`expected a comparison after ${describe(start)} but found ${describe(k)}`);
  };

  const not = (): ConditionNode => {
    const t = peek();
    if (isKw(t, 'not') || isOp(t, '!') || isOp(t, '~')) {
      next();
      if (++depth > MAX_DEPTH) throw new ExpressionError('expression nested too deeply');
      const a = not();
      depth--;
      return { t: 'not', a };
    }
    return predicate();
  };

  const and = (): ConditionNode => {
    let a = not();
    while (isKw(peek(), 'and') || isOp(peek(), '&&') || isOp(peek(), '&')) {
      next();
      a = { t: 'and', a, b: not() };
    }
    return a;
  };

  function expr(): ConditionNode {
    if (++depth > MAX_DEPTH) throw new ExpressionError('expression nested too deeply');
    let a = and();
    while (isKw(peek(), 'or') || isOp(peek(), '||') || isOp(peek(), '|')) {
      next();
      a = { t: 'or', a, b: and() };
    }
    depth--;
    return a;
  }

  let condition: ConditionNode;
  if (isKw(peek(), 'select')) {
    next();
    const what = next();
    if (isKw(what, 'count')) {
      expectOp('(');
      const arg = next();
      if (!isOp(arg, '*') && arg.k !== 'num') throw new ExpressionError('only COUNT(*) is supported');
      expectOp(')');
    } else if (!isOp(what, '*')) {
      throw new ExpressionError('not supported: only SELECT * or SELECT COUNT(*) FROM <table> [WHERE <condition>] can run on files');
    }
    if (!isKw(next(), 'from')) throw new ExpressionError('expected FROM after the select list');
    const name = next();
    if (name.k !== 'id' && name.k !== 'dq' && name.k !== 'bt') throw new ExpressionError(`expected a table name after FROM but found ${describe(name)}`);
    while (isOp(peek(), '.')) {
      next();
      const part = next();
      if (part.k !== 'id' && part.k !== 'dq' && part.k !== 'bt') throw new ExpressionError(`expected a name after '.' but found ${describe(part)}`);
    }
    if (isKw(peek(), 'where')) {
      next();
      condition = expr();
    } else condition = { t: 'const', v: true };
  } else {
    condition = expr();
  }
  if (isOp(peek(), ';')) next();
  const end = peek();
  if (end.k !== 'eof') {
    throw new ExpressionError(
      `not supported: unexpected ${describe(end)} (only a condition, or SELECT * | COUNT(*) FROM <table> WHERE <condition>; no JOIN, GROUP BY, functions or subqueries)`,
    );
  }
  return { condition, columns: [...used] };
}

type Value = number | string | boolean | null;
type Truth = boolean | null;
export type CompiledCondition = (values: Coerced[]) => Truth;

export interface ColumnBinding {
  slot: number;
  coerce: Coercer;
}

function compare(a: Exclude<Value, null>, b: Exclude<Value, null>): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    const x = typeof a === 'boolean' ? Number(a) : a;
    const y = typeof b === 'boolean' ? Number(b) : b;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'string') {
    const y = Number(b);
    if (b.trim() !== '' && !Number.isNaN(y)) return a < y ? -1 : a > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'number') return -compare(b, a);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function likeToRegExp(pattern: string, ci: boolean): RegExp {
  let src = '';
  for (const ch of pattern) {
    if (ch === '%') src += '[\\s\\S]*';
    else if (ch === '_') src += '[\\s\\S]';
    else src += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, ci ? 'iu' : 'u');
}

/** Compiles a parsed condition to a closure over the row's coerced values (by slot). */
export function compileCondition(node: ConditionNode, bind: (column: string) => ColumnBinding): CompiledCondition {
  // A literal compared with a column is read as that column's type (dates, numbers, booleans).
  const literalFor = (lit: Literal, other: Operand): Value => {
    if (lit === null || other.t !== 'col' || typeof lit !== 'string') return lit;
    const c = bind(other.name).coerce(lit);
    return c === NULL || c === INVALID ? lit : c;
  };
  const operand = (o: Operand, other?: Operand): ((v: Coerced[]) => Value) => {
    if (o.t === 'lit') {
      const v = other ? literalFor(o.v, other) : o.v;
      return () => v;
    }
    const slot = bind(o.name).slot;
    return (vals) => {
      const v = vals[slot];
      return v === NULL || v === INVALID ? null : v;
    };
  };
  const build = (n: ConditionNode): CompiledCondition => {
    switch (n.t) {
      case 'const':
        return () => n.v;
      case 'and': {
        const a = build(n.a);
        const b = build(n.b);
        return (v) => {
          const x = a(v);
          if (x === false) return false;
          const y = b(v);
          if (y === false) return false;
          return x === null || y === null ? null : true;
        };
      }
      case 'or': {
        const a = build(n.a);
        const b = build(n.b);
        return (v) => {
          const x = a(v);
          if (x === true) return true;
          const y = b(v);
          if (y === true) return true;
          return x === null || y === null ? null : false;
        };
      }
      case 'not': {
        const a = build(n.a);
        return (v) => {
          const x = a(v);
          return x === null ? null : !x;
        };
      }
      case 'cmp': {
        const l = operand(n.l, n.r);
        const r = operand(n.r, n.l);
        const op = n.op;
        return (v) => {
          const a = l(v);
          const b = r(v);
          if (a === null || b === null) return null;
          const c = compare(a, b);
          switch (op) {
            case '=': return c === 0;
            case '!=': return c !== 0;
            case '<': return c < 0;
            case '<=': return c <= 0;
            case '>': return c > 0;
            default: return c >= 0;
          }
        };
      }
      case 'isnull': {
        const o = operand(n.o);
        return (v) => (o(v) === null) !== n.negate;
      }
      case 'in': {
        const o = operand(n.o);
        const items = n.list.map((lit) => literalFor(lit, n.o));
        const hasNull = items.includes(null);
        return (v) => {
          const x = o(v);
          if (x === null) return null;
          const found = items.some((it) => it !== null && compare(x, it) === 0);
          if (found) return !n.negate;
          return hasNull ? null : n.negate;
        };
      }
      case 'like': {
        const o = operand(n.o);
        const re = likeToRegExp(n.pattern, n.ci);
        return (v) => {
          const x = o(v);
          if (x === null) return null;
          return re.test(String(x)) !== n.negate;
        };
      }
      case 'between': {
        const o = operand(n.o);
        const lo = operand(n.lo, n.o);
        const hi = operand(n.hi, n.o);
        return (v) => {
          const x = o(v);
          const a = lo(v);
          const b = hi(v);
          if (x === null || a === null || b === null) return null;
          return (compare(x, a) >= 0 && compare(x, b) <= 0) !== n.negate;
        };
      }
      case 'truthy': {
        const o = operand(n.o);
        return (v) => {
          const x = o(v);
          if (x === null) return null;
          return typeof x === 'string' ? x.length > 0 : Boolean(x);
        };
      }
    }
  };
  return build(node);
}
