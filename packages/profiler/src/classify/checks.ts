/** Check-digit and format rules of the identifiers the PII classifier recognizes. */
import { isIP } from 'node:net';

/** Luhn (mod 10) over the digits of `s`. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * A payment card number: 13–19 digits (spaces or dashes between groups allowed), an issuer prefix of
 * a card network (Visa 4, Mastercard 51–55 / 2221–2720, Amex 34/37, Discover 6011/644–649/65,
 * Diners 300–305/36/38, JCB 3528–3589, UnionPay 62) and a valid Luhn digit.
 */
export function isCardNumber(text: string): boolean {
  if (!/^\d[\d -]{11,22}\d$/.test(text)) return false;
  const digits = text.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const network =
    digits[0] === '4' ||
    (p2 >= 51 && p2 <= 55) ||
    (p4 >= 2221 && p4 <= 2720) ||
    p2 === 34 ||
    p2 === 37 ||
    p4 === 6011 ||
    (p3 >= 644 && p3 <= 649) ||
    p2 === 65 ||
    (p3 >= 300 && p3 <= 305) ||
    p2 === 36 ||
    p2 === 38 ||
    (p4 >= 3528 && p4 <= 3589) ||
    p2 === 62;
  return network && luhnValid(digits);
}

/** IBAN lengths by country (ISO 13616 registry, the common ones). */
const IBAN_LENGTH: Record<string, number> = {
  AD: 24, AE: 23, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CR: 22, CY: 28, CZ: 24,
  DE: 22, DK: 18, DO: 28, EE: 20, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27,
  GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LI: 21, LT: 20,
  LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28,
  PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SE: 24, SI: 19, SK: 24, SM: 27, TN: 24, TR: 26, UA: 29,
  VG: 24, XK: 20,
};

/** An IBAN: known country and length, and the ISO 7064 mod-97 check (remainder 1). */
export function isIban(text: string): boolean {
  const s = text.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(s)) return false;
  if (IBAN_LENGTH[s.slice(0, 2)] !== s.length) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/** US Social Security number `AAA-GG-SSSS`: area not 000, 666 or 9xx; group not 00; serial not 0000. */
export function isUsSsn(text: string): boolean {
  const m = /^(\d{3})-(\d{2})-(\d{4})$/.exec(text);
  if (!m) return false;
  const area = Number(m[1]);
  return area !== 0 && area !== 666 && area < 900 && m[2] !== '00' && m[3] !== '0000';
}

/** UK National Insurance number: two prefix letters (D, F, I, Q, U, V never; O not second; not BG, GB, KN, NK, NT, TN, ZZ), six digits, A–D. */
export function isUkNino(text: string): boolean {
  const s = text.replace(/ /g, '').toUpperCase();
  const m = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])\d{6}[A-D]$/.exec(s);
  if (!m) return false;
  return !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(m[1] + m[2]);
}

const NIF_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI/NIF (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): letter = number mod 23. */
export function isSpanishNif(text: string): boolean {
  const s = text.replace(/[ -]/g, '').toUpperCase();
  const m = /^([XYZ]|\d)(\d{7})([A-Z])$/.exec(s);
  if (!m) return false;
  const lead = m[1] === 'X' ? '0' : m[1] === 'Y' ? '1' : m[1] === 'Z' ? '2' : m[1];
  return NIF_LETTERS[Number(lead + m[2]) % 23] === m[3];
}

/** Polish PESEL: 11 digits, weights 1 3 7 9 repeated, check digit (10 − sum mod 10) mod 10, a valid month code. */
export function isPesel(text: string): boolean {
  if (!/^\d{11}$/.test(text)) return false;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += w[i] * (text.charCodeAt(i) - 48);
  const month = Number(text.slice(2, 4)) % 20;
  return month >= 1 && month <= 12 && (10 - (sum % 10)) % 10 === text.charCodeAt(10) - 48;
}

export function isEmail(text: string): boolean {
  return text.length <= 254 && /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/.test(text);
}

/** IPv4 (dotted quad, no leading zeros) or IPv6. */
export function isIpAddress(text: string): boolean {
  if (/^\d/.test(text) && /\.0\d/.test(`.${text}`)) return false;
  return isIP(text) !== 0;
}

/**
 * Phone numbers, by how sure the format is: `strong` for an international `+` prefix or an area code
 * in parentheses, `weak` for a bare 3-3-4 grouping (the shape of many part and order numbers).
 */
export function phoneShape(text: string): 'strong' | 'weak' | undefined {
  const s = text.trim();
  const digits = s.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return undefined;
  if (/^\+\d{1,3}[ .-]?(\(\d{1,4}\)[ .-]?)?\d{1,4}([ .-]?\d{2,4}){1,4}$/.test(s)) return 'strong';
  if (/^\(\d{3}\) ?\d{3}[ .-]\d{4}$/.test(s)) return 'strong';
  if (/^\d{3}[.-]\d{3}[.-]\d{4}$/.test(s)) return 'weak';
  return undefined;
}

/** An ISO date or date-time (`YYYY-MM-DD…`) with a plausible year. */
export function isDateText(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  return !!m && Number(m[1]) >= 1850 && Number(m[1]) <= 2100 && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= 31;
}
