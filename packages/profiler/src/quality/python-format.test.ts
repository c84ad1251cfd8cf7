import { pyDate, pyDateTime, pyFloat, pyListRepr, pyNumber, pyTime } from './python-format';

// Expected strings are what CPython 3 prints for str(float) / str(datetime) / repr(list).
describe('python-format', () => {
  it.each([
    [30, '30.0'], [30.5, '30.5'], [0.1 + 0.2, '0.30000000000000004'], [-2.5, '-2.5'], [0, '0.0'],
    [1e16, '1e+16'], [123456789012345680, '1.2345678901234568e+17'], [9999999999999998, '9999999999999998.0'],
    [0.0001, '0.0001'], [0.00001, '1e-05'], [1.5e-5, '1.5e-05'], [NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf'],
  ])('pyFloat(%p) = %s', (x, text) => {
    expect(pyFloat(x)).toBe(text);
  });

  it('ints print as ints unless pandas holds a float', () => {
    expect(pyNumber(40, false)).toBe('40');
    expect(pyNumber(40, true)).toBe('40.0');
    expect(pyNumber(2.5, false)).toBe('2.5');
  });

  it('dates, timestamps and times', () => {
    expect(pyDate(Date.UTC(2024, 0, 3, 10))).toBe('2024-01-03');
    expect(pyDateTime(Date.UTC(2024, 0, 3))).toBe('2024-01-03 00:00:00');
    expect(pyDateTime(Date.UTC(2024, 0, 3, 4, 5, 6, 7))).toBe('2024-01-03 04:05:06.007000');
    expect(pyTime(3723.5)).toBe('01:02:03.500000');
    expect(pyTime(59)).toBe('00:00:59');
  });

  it('lists: repr, and reprlib.repr (6 items, strings of 29+ characters shortened)', () => {
    expect(pyListRepr(['a', "it's"])).toBe(`['a', "it's"]`);
    expect(pyListRepr(['a', 'b', 'c', 'd', 'e', 'f', 'g'], true)).toBe("['a', 'b', 'c', 'd', 'e', 'f', ...]");
    expect(pyListRepr(['abcdefghijklmnopqrstuvwxyz0123456789'], true)).toBe("['abcdefghijkl...xyz0123456789']");
  });
});
