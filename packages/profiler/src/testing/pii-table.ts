/**
 * The labelled test table of the PII classifier (not part of the published build): 40 columns of
 * generated values, each with the tag a person would give it, mixing personal data with look-alikes
 * (order ids that pass Luhn by chance, phone-shaped part numbers, IBAN-shaped codes with a wrong
 * check, NIF-shaped product codes, software versions that are dotted quads).
 */
import { luhnValid } from '../classify/checks';
import type { PiiTag } from '../classify/classifier';
import { seededRandom } from './tables';

export interface LabelledColumn {
  name: string;
  expected: PiiTag | undefined;
  value: (i: number) => string;
}

const FIRST = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Emeka', 'Fatima', 'Giulia', 'Hiro', 'Ingrid', 'José', 'Kwame', 'Lena', 'Mateo', 'Nadia', 'Oskar', 'Priya'];
const LAST = ['Okafor', 'Schmidt', 'García', 'Nakamura', 'Dubois', 'Kowalski', 'Rossi', 'Haddad', 'Johansson', 'Silva', 'Novak', 'Ahmed'];
const PRODUCTS = ['Widget Pro', 'Gadget Mini', 'Cable 2m', 'Desk Lamp', 'Coffee Mug', 'Notebook A5', 'USB Hub', 'Chair Mat'];
const COMPANIES = ['Acme Corp', 'Globex', 'Initech', 'Umbrella Ltd', 'Hooli', 'Vandelay Industries'];
const STREETS = ['Oak Street', 'Maple Avenue', 'High Road', 'Rue de Lyon', 'Calle Mayor', 'Hauptstraße'];
const DOMAINS = ['example.com', 'mail.example.org', 'corp.example.net'];

export function labelledPiiColumns(seed = 7): LabelledColumn[] {
  const rnd = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const digits = (n: number) => Array.from({ length: n }, () => int(0, 9)).join('');
  const pick = <T>(xs: T[]) => xs[int(0, xs.length - 1)];
  const luhnDigit = (body: string) => String([...'0123456789'].findIndex((d) => luhnValid(body + d)));
  const card = () => {
    const body = pick(['4', '51', '52', '55', '37']) ;
    const len = body === '37' ? 15 : 16;
    const partial = body + digits(len - 1 - body.length);
    return partial + luhnDigit(partial);
  };
  const mod97 = (s: string) => [...s].reduce((r, ch) => (r * 10 + Number(ch)) % 97, 0);
  const numeric = (s: string) => [...s].map((c) => (c >= 'A' ? String(c.charCodeAt(0) - 55) : c)).join('');
  const iban = (good: boolean) => {
    const bban = digits(18);
    const check = 98 - mod97(numeric(`${bban}DE00`));
    const cd = good ? check : (check + 7) % 97 || 5;
    return `DE${String(cd).padStart(2, '0')}${bban}`;
  };
  const ssn = () => `${String(int(1, 665)).padStart(3, '0')}-${String(int(1, 99)).padStart(2, '0')}-${String(int(1, 9999)).padStart(4, '0')}`;
  const nifNumber = () => digits(8);
  const NIF = 'TRWAGMYFPDXBNJZSQVHLCKE';
  const pesel = () => {
    const body = `${int(50, 99)}${String(int(1, 12)).padStart(2, '0')}${String(int(1, 28)).padStart(2, '0')}${digits(4)}`;
    const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    const sum = [...body].reduce((s, d, i) => s + w[i] * Number(d), 0);
    return body + String((10 - (sum % 10)) % 10);
  };
  const date = (y0: number, y1: number) => `${int(y0, y1)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
  const hex = (n: number) => Array.from({ length: n }, () => int(0, 15).toString(16)).join('');

  const S: PiiTag = 'PII.Sensitive';
  const N: PiiTag = 'PII.NonSensitive';
  return [
    { name: 'customer_email', expected: S, value: () => `${pick(FIRST).toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${int(1, 999)}@${pick(DOMAINS)}` },
    { name: 'contact', expected: S, value: () => `user${int(1, 99999)}@${pick(DOMAINS)}` },
    { name: 'email_verified', expected: undefined, value: () => pick(['true', 'false']) },
    { name: 'email_count', expected: undefined, value: () => String(int(0, 40)) },
    { name: 'phone_number', expected: N, value: () => `(${int(201, 989)}) ${int(200, 999)}-${digits(4)}` },
    { name: 'mobile', expected: N, value: () => `+44 7${digits(3)} ${digits(6)}` },
    { name: 'part_number', expected: undefined, value: () => `${int(100, 999)}-${int(100, 999)}-${digits(4)}` },
    { name: 'card_number', expected: S, value: () => card().replace(/(\d{4})(?=\d)/g, '$1 ') },
    { name: 'payment_ref', expected: S, value: () => card() },
    { name: 'order_id', expected: undefined, value: () => String(int(1, 9)) + digits(15) },
    { name: 'tracking_code', expected: undefined, value: () => `4${digits(15)}` },
    { name: 'iban', expected: S, value: () => iban(true) },
    { name: 'account_ref', expected: S, value: () => iban(true) },
    { name: 'invoice_code', expected: undefined, value: () => iban(false) },
    { name: 'ssn', expected: S, value: () => ssn() },
    { name: 'tax_number', expected: S, value: () => { const n = nifNumber(); return n + NIF[Number(n) % 23]; } },
    { name: 'product_code', expected: undefined, value: () => { const n = nifNumber(); return n + NIF[(Number(n) + int(1, 22)) % 23]; } },
    { name: 'pesel', expected: S, value: () => pesel() },
    { name: 'insurance_no', expected: S, value: () => `${pick(['AB', 'CE', 'JK', 'WR'])}${digits(6)}${pick(['A', 'B', 'C', 'D'])}` },
    { name: 'client_ip', expected: S, value: () => `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}` },
    { name: 'origin', expected: S, value: () => `2001:db8:${hex(4)}:${hex(4)}::${hex(3)}` },
    { name: 'server_version', expected: undefined, value: () => `${int(1, 12)}.${int(0, 9)}.${int(0, 20)}.${int(0, 99)}` },
    { name: 'ip_version', expected: undefined, value: () => pick(['4', '6']) },
    { name: 'date_of_birth', expected: N, value: () => date(1950, 2005) },
    { name: 'created_at', expected: undefined, value: () => `${date(2023, 2024)} ${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}:00` },
    { name: 'first_name', expected: S, value: () => pick(FIRST) },
    { name: 'last_name', expected: S, value: () => pick(LAST) },
    { name: 'customer_name', expected: S, value: () => `${pick(FIRST)} ${pick(LAST)}` },
    { name: 'product_name', expected: undefined, value: () => pick(PRODUCTS) },
    { name: 'company_name', expected: undefined, value: () => pick(COMPANIES) },
    { name: 'password_hash', expected: S, value: () => hex(64) },
    { name: 'gender', expected: N, value: () => pick(['F', 'M', 'X']) },
    { name: 'home_address', expected: N, value: () => `${int(1, 250)} ${pick(STREETS)}` },
    { name: 'zip_code', expected: N, value: () => String(int(10000, 99999)) },
    { name: 'quantity', expected: undefined, value: () => String(int(1, 20)) },
    { name: 'price', expected: undefined, value: () => (int(100, 99999) / 100).toFixed(2) },
    { name: 'status', expected: undefined, value: () => pick(['active', 'closed', 'pending']) },
    { name: 'sku', expected: undefined, value: () => `SKU-${digits(4)}-${digits(4)}` },
    { name: 'notes', expected: undefined, value: () => pick(['left at the door', 'call before delivery', 'gift wrap', 'no notes']) },
    { name: 'latitude', expected: undefined, value: () => (int(-9000, 9000) / 100).toFixed(4) },
  ];
}

/** The table as CSV text (no value needs quoting). */
export function labelledPiiCsv(rows = 60, seed = 7): { csv: string; columns: LabelledColumn[] } {
  const columns = labelledPiiColumns(seed);
  const lines = [columns.map((c) => c.name).join(',')];
  for (let i = 0; i < rows; i++) lines.push(columns.map((c) => c.value(i)).join(','));
  return { csv: `${lines.join('\n')}\n`, columns };
}

/** Precision and recall of predicted tags against the labels (a prediction counts when its tag is the expected one). */
export function precisionRecall(columns: { name: string; expected: PiiTag | undefined }[], predicted: Map<string, PiiTag>): { precision: number; recall: number; truePositives: number; predicted: number; expected: number } {
  let tp = 0;
  for (const [name, tag] of predicted) if (columns.find((c) => c.name === name)?.expected === tag) tp++;
  const expected = columns.filter((c) => c.expected).length;
  return { precision: predicted.size ? tp / predicted.size : 1, recall: expected ? tp / expected : 1, truePositives: tp, predicted: predicted.size, expected };
}
