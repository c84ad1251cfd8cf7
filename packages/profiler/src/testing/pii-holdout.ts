/**
 * A second labelled table, written after the classifier's rules were fixed and not used to tune them
 * (not part of the published build): other naming conventions (camelCase, abbreviations), personal
 * values under neutral names, and new look-alikes (ISBNs, EAN barcodes, UUIDs, hex ids, version
 * strings, file names with "zip"). Its score is reported as measured.
 */
import type { PiiTag } from '../classify/classifier';
import type { LabelledColumn } from './pii-table';
import { seededRandom } from './tables';

export function holdoutPiiColumns(seed = 11): LabelledColumn[] {
  const rnd = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const digits = (n: number) => Array.from({ length: n }, () => int(0, 9)).join('');
  const hex = (n: number) => Array.from({ length: n }, () => int(0, 15).toString(16)).join('');
  const pick = <T>(xs: T[]) => xs[int(0, xs.length - 1)];
  const S: PiiTag = 'PII.Sensitive';
  const N: PiiTag = 'PII.NonSensitive';
  const ean13 = () => {
    const body = `40${digits(10)}`;
    const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
    return body + String((10 - (sum % 10)) % 10);
  };
  return [
    { name: 'EmailAddress', expected: S, value: () => `m${int(1, 9999)}@example.org` },
    { name: 'mail', expected: S, value: () => `x${int(1, 9999)}@example.net` },
    { name: 'contactPhone', expected: N, value: () => `+33 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}` },
    { name: 'telephone_no', expected: N, value: () => `(${int(201, 989)}) ${int(200, 999)}-${digits(4)}` },
    { name: 'field7', expected: N, value: () => `+1 ${int(201, 989)} ${int(200, 999)} ${digits(4)}` },
    { name: 'cc_num', expected: S, value: () => '4111111111111111' },
    { name: 'social_security_number', expected: S, value: () => `${String(int(1, 665)).padStart(3, '0')}-${String(int(1, 99)).padStart(2, '0')}-${String(int(1, 9999)).padStart(4, '0')}` },
    { name: 'birthdate', expected: N, value: () => `19${int(50, 99)}-0${int(1, 9)}-1${int(0, 9)}` },
    { name: 'surname', expected: S, value: () => pick(['Okafor', 'Schmidt', 'Rossi', 'Silva']) },
    { name: 'postcode', expected: N, value: () => `SW1A ${int(1, 9)}AA` },
    { name: 'ip_addr', expected: S, value: () => `192.168.${int(0, 255)}.${int(1, 254)}` },
    { name: 'col_a', expected: S, value: () => `fe80::${hex(4)}:${hex(4)}` },
    { name: 'iban_code', expected: S, value: () => 'GB82WEST12345698765432' },
    { name: 'holder', expected: S, value: () => pick(['Ann Smith', 'Bo Li', 'Chen Wei', 'Ada Obi']) }, // person names under a word the rules do not read
    { name: 'nationality', expected: N, value: () => pick(['FR', 'DE', 'NG']) },
    { name: 'isbn', expected: undefined, value: () => `978${digits(10)}` },
    { name: 'ean', expected: undefined, value: () => ean13() },
    { name: 'request_id', expected: undefined, value: () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}` },
    { name: 'commit', expected: undefined, value: () => hex(40) },
    { name: 'app_version', expected: undefined, value: () => `${int(1, 5)}.${int(0, 9)}.${int(0, 9)}.${int(0, 200)}` },
    { name: 'zip_file_name', expected: undefined, value: () => `export_${digits(4)}.zip` },
    { name: 'total_amount', expected: undefined, value: () => (int(100, 99999) / 100).toFixed(2) },
    { name: 'event_time', expected: undefined, value: () => `2024-0${int(1, 9)}-1${int(0, 9)}T10:00:00Z` },
    { name: 'country', expected: undefined, value: () => pick(['France', 'Germany']) },
    { name: 'description', expected: undefined, value: () => pick(['blue widget', 'red widget']) },
    { name: 'serial_number', expected: undefined, value: () => `${int(100, 999)}-${int(100, 999)}-${digits(4)}` },
    { name: 'account_balance', expected: undefined, value: () => String(int(0, 100000)) },
    { name: 'passport_no', expected: S, value: () => `${pick(['X', 'Y'])}${digits(8)}` },
    { name: 'is_email_verified', expected: undefined, value: () => pick(['true', 'false']) },
    { name: 'phone_count', expected: undefined, value: () => String(int(0, 3)) },
  ];
}
