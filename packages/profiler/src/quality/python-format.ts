/**
 * Python's `str()` of the values OpenMetadata's validators put in `testResultValue`, so our
 * results read the same: numpy floats (`30.0`, `1e+16`, `nan`), numpy ints (`30`), pandas
 * Timestamps (`2023-01-09 00:00:00`), `datetime.date` (`2023-01-09`), `datetime.time`.
 */

/** `str(float)`: shortest round-trip digits, fixed notation for exponents −4…15, else `1e+16`. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let out: string;
  if (exp < -4 || exp >= 16) {
    const frac = digits.slice(1);
    out = `${digits[0]}${frac ? `.${frac}` : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    out = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return negative ? `-${out}` : out;
}

/** A number as pandas hands it over: float64 prints like `pyFloat`, int64 as digits. */
export function pyNumber(x: number, asFloat: boolean): string {
  return asFloat || !Number.isInteger(x) ? pyFloat(x) : String(x);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `str(datetime.date)`: `YYYY-MM-DD` of epoch ms (UTC). */
export function pyDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `str(pandas.Timestamp)` / `str(datetime)`: `YYYY-MM-DD HH:MM:SS[.ffffff]` of epoch ms (UTC, naive). */
export function pyDateTime(ms: number): string {
  const d = new Date(Math.floor(ms));
  const micros = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000);
  const base = `${pyDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return micros > 0 ? `${base}.${pad(micros, 6)}` : base;
}

/** `str(datetime.time)` of seconds since midnight: `HH:MM:SS[.ffffff]`. */
export function pyTime(seconds: number): string {
  const whole = Math.floor(seconds);
  const micros = Math.round((seconds - whole) * 1e6);
  const base = `${pad(Math.floor(whole / 3600))}:${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}`;
  return micros > 0 ? `${base}.${pad(micros, 6)}` : base;
}

/** `repr(str)`: single quotes unless the text holds `'` and no `"`. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

/** `repr(list_of_str)`, or `reprlib.repr(...)` (at most 6 items, long strings shortened) when `short`. */
export function pyListRepr(items: string[], short = false): string {
  if (!short) return `[${items.map(pyStrRepr).join(', ')}]`;
  const shown = items.slice(0, 6).map((s) => {
    const r = pyStrRepr(s);
    // reprlib.Repr.maxstring = 30: keep the head and tail of the repr around '...'
    return r.length > 30 ? `${r.slice(0, 13)}...${r.slice(r.length - 14)}` : r;
  });
  return `[${shown.join(', ')}${items.length > 6 ? ', ...' : ''}]`;
}
