/**
 * The character-code number reader of json-parse.ts against the regular expression it replaced
 * (kept here as the oracle): the same value, the same INT/FLOAT kind and the same errors.
 */
import { JsonFloat, parseJsonDocument, parseJsonValue } from './json-parse';

/** What the regular-expression reader made of `text` (one number, the whole line). */
function oracle(text: string): { value: number; float: boolean } | { error: string } {
  const m = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y.exec(text);
  if (!m) return { error: text.length <= 1 ? 'unexpected end of the line' : 'bad number' };
  const end = m[0].length;
  const next = text[end];
  if (next === '.' || next === 'e' || next === 'E') return { error: end + 1 >= text.length ? 'unexpected end of the line' : 'bad number' };
  if (end < text.trimEnd().length) return { error: 'unexpected text after the value' };
  const n = Number(m[0]);
  if (m[2] !== undefined || m[3] !== undefined) return { value: n, float: true };
  if (!Number.isSafeInteger(n)) {
    const big = BigInt(m[0]);
    if (big > 9223372036854775807n || big < -9223372036854775808n) return { value: n, float: true };
  }
  return { value: n, float: false };
}

function parsed(text: string): { value: number; float: boolean } | { error: string } {
  try {
    const v = parseJsonValue(text);
    return v instanceof JsonFloat ? { value: v.value, float: true } : { value: v as number, float: false };
  } catch (err) {
    const message = (err as Error).message;
    return { error: message.slice(message.lastIndexOf(': ') + 2) };
  }
}

describe('JSON numbers by character codes match the regular-expression reader', () => {
  const cases = [
    '0', '-0', '7', '-7', '42', '007', '-', '-a', '1.', '1.5', '-1.5', '0.5', '1e5', '1E5', '1e+5', '1e-5', '1e', '1e+', '1.5e3', '1.e3', '0e0',
    '9007199254740991', '9007199254740993', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
    '123456789012345678901234567890', '1.5.5', '1ee5', '01', '1 ', '1  x', '1x', '2024-01-01', '3.14159265358979323846', '1e400', '-1e-400',
  ];
  it.each(cases.map((c) => [JSON.stringify(c), c]))('%s', (_label, text) => {
    expect(parsed(text)).toEqual(oracle(text));
  });

  it('on 50,000 random texts', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const alphabet = '0123456789-+.eE x';
    const mismatches: string[] = [];
    for (let i = 0; i < 50_000 && mismatches.length < 10; i++) {
      let text = String(Math.floor(random() * 10));
      const length = Math.floor(random() * 12);
      for (let k = 0; k < length; k++) text += alphabet[Math.floor(random() * alphabet.length)];
      if (random() < 0.3) text = `-${text}`;
      if (JSON.stringify(parsed(text)) !== JSON.stringify(oracle(text))) mismatches.push(text);
    }
    expect(mismatches).toEqual([]);
  });

  it('a number cut by the end of a sampled document is left out', () => {
    expect(parseJsonDocument('[1, 2.5, 12', true, 100)).toEqual({ kind: 'array', rows: [1, new JsonFloat(2.5)], truncated: true });
    expect(parseJsonDocument('[1, 2.5, 1e', true, 100)).toEqual({ kind: 'array', rows: [1, new JsonFloat(2.5)], truncated: true });
  });
});
