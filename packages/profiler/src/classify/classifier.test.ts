import { isCardNumber, isEmail, isIban, isIpAddress, isPesel, isSpanishNif, isUkNino, isUsSsn, luhnValid, phoneShape } from './checks';
import { classifyByName, classifyColumn, nameTokens } from './classifier';
import { classifyTable } from './table';
import { labelledPiiColumns, labelledPiiCsv, precisionRecall } from '../testing/pii-table';
import type { PiiTag } from './classifier';

describe('check rules', () => {
  it('Luhn and card networks', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(isCardNumber('4111 1111 1111 1111')).toBe(true);
    expect(isCardNumber('378282246310005')).toBe(true); // Amex test number
    // Passes Luhn but no card network starts with 1.
    expect(luhnValid('1000000000000008')).toBe(true);
    expect(isCardNumber('1000000000000008')).toBe(false);
  });

  it('IBAN mod 97 with the country length', () => {
    expect(isIban('DE89370400440532013000')).toBe(true);
    expect(isIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isIban('DE88370400440532013000')).toBe(false); // check digits
    expect(isIban('DE8937040044053201300')).toBe(false); // length
  });

  it('national ids: SSN rules, NINO prefixes, NIF letter, PESEL check digit', () => {
    expect(isUsSsn('123-45-6789')).toBe(true);
    expect(isUsSsn('666-45-6789')).toBe(false);
    expect(isUsSsn('912-45-6789')).toBe(false);
    expect(isUsSsn('123-00-6789')).toBe(false);
    expect(isUkNino('AB 12 34 56 C')).toBe(true);
    expect(isUkNino('GB123456C')).toBe(false);
    expect(isUkNino('DA123456C')).toBe(false);
    expect(isSpanishNif('12345678Z')).toBe(true);
    expect(isSpanishNif('12345678A')).toBe(false);
    expect(isSpanishNif('X1234567L')).toBe(true);
    expect(isPesel('44051401359')).toBe(true);
    expect(isPesel('44051401358')).toBe(false);
  });

  it('e-mail, IP and phone shapes', () => {
    expect(isEmail('ana.okafor@example.com')).toBe(true);
    expect(isEmail('not an email')).toBe(false);
    expect(isIpAddress('192.168.0.1')).toBe(true);
    expect(isIpAddress('2001:db8::1')).toBe(true);
    expect(isIpAddress('192.168.01.1')).toBe(false);
    expect(isIpAddress('300.1.1.1')).toBe(false);
    expect(phoneShape('+1 212 555 0142')).toBe('strong');
    expect(phoneShape('(212) 555-0142')).toBe('strong');
    expect(phoneShape('212-555-0142')).toBe('weak');
    expect(phoneShape('12')).toBeUndefined();
  });
});

describe('classifier', () => {
  it('splits names into tokens', () => {
    expect(nameTokens('customerEmail')).toEqual(['customer', 'email']);
    expect(nameTokens('Date-Of_Birth')).toEqual(['date', 'of', 'birth']);
  });

  it('reads names by tokens, not substrings, and ignores names about a value rather than the value', () => {
    expect(classifyByName('customer_email')).toMatchObject({ tag: 'PII.Sensitive', kind: 'email' });
    expect(classifyByName('mailing_list_id')).toBeUndefined();
    expect(classifyByName('email_verified')).toBeUndefined();
    expect(classifyByName('phone')).toMatchObject({ tag: 'PII.NonSensitive' });
    expect(classifyByName('password_hash')).toMatchObject({ tag: 'PII.Sensitive', kind: 'password' });
  });

  it('a name that promises a shape the values do not have is doubtful', () => {
    const d = classifyColumn({ name: 'email', values: ['1', '2', '3'] })!;
    expect(d.confidence).toBeLessThan(0.8);
  });

  it('order ids that pass Luhn by chance stay untagged; real card numbers are tagged from values alone', () => {
    const rnd = (() => { let s = 3; return () => (s = (s * 48271) % 2147483647) / 2147483647; })();
    const ids = Array.from({ length: 50 }, () => `4${Array.from({ length: 15 }, () => Math.floor(rnd() * 10)).join('')}`);
    expect(ids.filter(isCardNumber).length).toBeGreaterThan(0); // some do pass
    expect(classifyColumn({ name: 'order_ref', values: ids })).toBeUndefined();
    expect(classifyColumn({ name: 'payment_ref', values: ['4111111111111111', '5555555555554444', '378282246310005'] })).toMatchObject({ tag: 'PII.Sensitive', kind: 'creditCard' });
  });

  it('measures precision and recall on the labelled table (README: "Measured on the labelled table")', () => {
    const { csv, columns } = labelledPiiCsv(50);
    expect(columns.length).toBeGreaterThanOrEqual(30);
    const lines = csv.trim().split('\n');
    const names = lines[0].split(',');
    const rows = lines.slice(1).map((l) => l.split(','));
    const suggestions = classifyTable(names.map((name) => ({ name, dataType: 'STRING' as const })), { columns: names, rows }, 80);
    const predicted = new Map<string, PiiTag>(suggestions.map((s) => [s.column, s.tagLabel.tagFQN as PiiTag]));
    const wrong = [...predicted].filter(([n, t]) => columns.find((c) => c.name === n)!.expected !== t);
    const missed = columns.filter((c) => c.expected && predicted.get(c.name) !== c.expected).map((c) => c.name);
    const score = precisionRecall(columns, predicted);
    expect({ wrong, missed }).toEqual({ wrong: [], missed: [] });
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.recall).toBeGreaterThanOrEqual(0.9);
    expect(score).toMatchObject({ expected: 22, predicted: 22, truePositives: 22 });
    // Every suggestion carries OpenMetadata's label shape.
    expect(suggestions[0].tagLabel).toEqual({ tagFQN: suggestions[0].tagLabel.tagFQN, source: 'Classification', labelType: 'Automated', state: 'Suggested' });
  });

  it('the confidence threshold is in percent, as OpenMetadata\'s (pii/processor.py: confidence >= threshold / 100)', () => {
    const cols = labelledPiiColumns().filter((c) => c.name === 'zip_code' || c.name === 'customer_email');
    const data = { columns: cols.map((c) => c.name), rows: Array.from({ length: 10 }, (_, i) => cols.map((c) => c.value(i))) };
    const at = (threshold: number) => classifyTable(cols.map((c) => ({ name: c.name, dataType: 'STRING' as const })), data, threshold).map((s) => s.column);
    expect(at(80)).toEqual(['customer_email', 'zip_code']);
    expect(at(90)).toEqual(['customer_email']);
  });
});
