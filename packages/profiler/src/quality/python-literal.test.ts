import { parseListParameter, parsePythonLiteral, PythonLiteralError } from './python-literal';

describe('parsePythonLiteral', () => {
  it.each([
    ["['John', 'Jane']", ['John', 'Jane']],
    ['["a", "b",]', ['a', 'b']],
    ["('x',)", ['x']],
    ["('x')", 'x'],
    ['(1, 2.5, -3, 1_000, 1e3, .5)', [1, 2.5, -3, 1000, 1000, 0.5]],
    ['[True, False, None]', [true, false, null]],
    ['{1, 2}', [1, 2]],
    ["[['a'], []]", [['a'], []]],
    ["'it\\'s' \"ok\"", "it'sok"],
    ["r'\\d+'", '\\d+'],
    ["'\\x41\\u00e9\\n'", 'Aé\n'],
    ['  42  ', 42],
  ])('%s', (text, expected) => {
    expect(parsePythonLiteral(text)).toEqual(expected);
  });

  it.each([
    ["__import__('os')", /names are not literals/],
    ["['a' + 'b']", /expected ','/],
    ['[1, 2', /expected ','/],
    ["'abc", /unterminated string/],
    ["{'a': 1}", /expected ','/],
    ['open("/etc/passwd")', /names are not literals/],
    ['', /unexpected end of input/],
    ['[1] [2]', /unexpected '\['/],
  ])('rejects %s', (text, message) => {
    expect(() => parsePythonLiteral(text)).toThrow(PythonLiteralError);
    expect(() => parsePythonLiteral(text)).toThrow(message);
  });

  it('list parameters accept a scalar as a one-item list', () => {
    expect(parseListParameter("'John'")).toEqual(['John']);
    expect(parseListParameter('[1, 2]')).toEqual([1, 2]);
  });
});
