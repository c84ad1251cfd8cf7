/**
 * The PII classifier: decides per column, from its name and its sampled values, whether it holds
 * sensitive personal data (`PII.Sensitive`), personal but not sensitive data (`PII.NonSensitive`) or
 * neither, with a confidence in [0, 1].
 *
 * Which kinds are sensitive follows OpenMetadata's PII scanners (ingestion `pii/scanners/
 * column_name_scanner.py`: passwords, SSNs, credit cards, bank accounts, e-mail and person names are
 * Sensitive; birth dates, gender, nationality, addresses and phones NonSensitive; `pii/ner.py` for
 * values: card numbers, IBANs, national ids, e-mails and IP addresses Sensitive, phones NonSensitive).
 * The evidence is our own: name tokens instead of substrings (`mailing_list` is not an e-mail column),
 * values checked by their check digits (Luhn, mod 97, …), and the share of sampled values that pass.
 */
import { isCardNumber, isDateText, isEmail, isIban, isIpAddress, isPesel, isSpanishNif, isUkNino, isUsSsn, phoneShape } from './checks';

export type PiiTag = 'PII.Sensitive' | 'PII.NonSensitive';

export type PiiKind =
  | 'email' | 'phone' | 'creditCard' | 'iban' | 'bankAccount' | 'nationalId' | 'ipAddress' | 'dateOfBirth'
  | 'person' | 'password' | 'address' | 'gender' | 'nationality';

export const SENSITIVITY: Record<PiiKind, PiiTag> = {
  email: 'PII.Sensitive',
  creditCard: 'PII.Sensitive',
  iban: 'PII.Sensitive',
  bankAccount: 'PII.Sensitive',
  nationalId: 'PII.Sensitive',
  ipAddress: 'PII.Sensitive',
  person: 'PII.Sensitive',
  password: 'PII.Sensitive',
  phone: 'PII.NonSensitive',
  dateOfBirth: 'PII.NonSensitive',
  address: 'PII.NonSensitive',
  gender: 'PII.NonSensitive',
  nationality: 'PII.NonSensitive',
};

export interface PiiDecision {
  kind: PiiKind;
  tag: PiiTag;
  /** 0..1. */
  confidence: number;
  /** What decided it, for logs and reports (never a value). */
  reason: string;
}

/** Splits `customerEmail`, `customer_email`, `Customer-Email` into lower-case tokens. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((t) => t.toLowerCase());
}

interface NameRule {
  kind: PiiKind;
  confidence: number;
  /** Token sequences (all of one must appear, in any order). */
  any: string[][];
}

const PERSON_OWNERS = ['customer', 'user', 'person', 'employee', 'client', 'contact', 'patient', 'member', 'owner', 'holder', 'cardholder', 'account', 'student', 'author'];

const NAME_RULES: NameRule[] = [
  { kind: 'password', confidence: 0.95, any: [['password'], ['passwd'], ['pwd']] },
  { kind: 'nationalId', confidence: 0.9, any: [['ssn'], ['social', 'security'], ['national', 'id'], ['passport'], ['nino'], ['nif'], ['pesel'], ['tax', 'id'], ['sin'], ['aadhaar']] },
  { kind: 'creditCard', confidence: 0.9, any: [['credit', 'card'], ['card', 'number'], ['card', 'no'], ['cc', 'number'], ['pan']] },
  { kind: 'iban', confidence: 0.9, any: [['iban']] },
  { kind: 'bankAccount', confidence: 0.9, any: [['bank', 'account'], ['bank', 'acc'], ['account', 'number'], ['routing', 'number']] },
  { kind: 'email', confidence: 0.9, any: [['email'], ['e', 'mail'], ['mail', 'address']] },
  { kind: 'phone', confidence: 0.9, any: [['phone'], ['mobile'], ['telephone'], ['tel'], ['cell', 'phone'], ['fax'], ['msisdn']] },
  { kind: 'ipAddress', confidence: 0.85, any: [['ip'], ['ipv4'], ['ipv6'], ['ip', 'address']] },
  { kind: 'dateOfBirth', confidence: 0.9, any: [['dob'], ['birth'], ['birthday'], ['birthdate'], ['dateofbirth'], ['date', 'of', 'birth']] },
  {
    kind: 'person',
    confidence: 0.9,
    any: [['first', 'name'], ['last', 'name'], ['full', 'name'], ['middle', 'name'], ['given', 'name'], ['family', 'name'], ['maiden', 'name'], ['surname'], ['firstname'], ['lastname'], ['fullname'], ['nickname'], ...PERSON_OWNERS.map((o) => [o, 'name'])],
  },
  { kind: 'address', confidence: 0.85, any: [['address'], ['street'], ['zip'], ['zipcode'], ['postcode'], ['postal', 'code']] },
  { kind: 'gender', confidence: 0.85, any: [['gender'], ['sex']] },
  { kind: 'nationality', confidence: 0.85, any: [['nationality']] },
];

/**
 * Tokens that make a name about the data *around* a personal value, not the value itself:
 * `email_verified`, `phone_count`, `email_domain`, `ip_version`.
 */
const NOT_THE_VALUE = new Set([
  'count', 'cnt', 'total', 'num', 'flag', 'is', 'has', 'opt', 'optin', 'verified', 'valid', 'status', 'type', 'template',
  'domain', 'provider', 'version', 'hash', 'length', 'len', 'enabled', 'sent', 'bounced', 'format', 'policy', 'changed', 'updated', 'reset', 'expiry', 'expires',
]);

/** `password_hash` is still a secret: hashes of passwords are as sensitive as the kind says. */
const KEEP_WITH_HASH = new Set<PiiKind>(['password']);

export function classifyByName(name: string): PiiDecision | undefined {
  const tokens = nameTokens(name);
  const set = new Set(tokens);
  for (const rule of NAME_RULES) {
    const hit = rule.any.find((seq) => seq.every((t) => set.has(t)));
    if (!hit) continue;
    const modifiers = tokens.filter((t) => NOT_THE_VALUE.has(t) && !(KEEP_WITH_HASH.has(rule.kind) && t === 'hash'));
    if (modifiers.length > 0) return undefined;
    return { kind: rule.kind, tag: SENSITIVITY[rule.kind], confidence: rule.confidence, reason: `column name (${hit.join(' ')})` };
  }
  return undefined;
}

interface ValueRecognizer {
  kind: PiiKind;
  /** Confidence when every sampled value matches. */
  strength: number;
  test: (text: string) => number; // 1 match, 0 no match, in between: a weaker match
}

const VALUE_RECOGNIZERS: ValueRecognizer[] = [
  { kind: 'email', strength: 0.95, test: (t) => (isEmail(t) ? 1 : 0) },
  { kind: 'creditCard', strength: 0.95, test: (t) => (isCardNumber(t) ? 1 : 0) },
  { kind: 'iban', strength: 0.97, test: (t) => (isIban(t) ? 1 : 0) },
  { kind: 'nationalId', strength: 0.9, test: (t) => (isUsSsn(t) || isUkNino(t) || isSpanishNif(t) || isPesel(t) ? 1 : 0) },
  { kind: 'ipAddress', strength: 0.9, test: (t) => (isIpAddress(t) ? 1 : 0) },
  // A bare 3-3-4 grouping counts for little: part numbers look the same.
  { kind: 'phone', strength: 0.9, test: (t) => { const shape = phoneShape(t); return shape === 'strong' ? 1 : shape === 'weak' ? 0.6 : 0; } },
];

/** Share of values (0..1) needed before a value recognizer says anything. */
const MIN_SHARE = 0.5;

function textOf(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

export function classifyByValues(values: readonly unknown[]): PiiDecision | undefined {
  const texts = values.map(textOf).filter((t): t is string => t !== undefined);
  if (texts.length === 0) return undefined;
  let best: PiiDecision | undefined;
  for (const r of VALUE_RECOGNIZERS) {
    let score = 0;
    let hits = 0;
    for (const t of texts) {
      const s = r.test(t);
      score += s;
      if (s > 0) hits++;
    }
    const share = hits / texts.length;
    if (share < MIN_SHARE) continue;
    const confidence = r.strength * (score / texts.length);
    if (!best || confidence > best.confidence) {
      best = { kind: r.kind, tag: SENSITIVITY[r.kind], confidence, reason: `${Math.round(share * 100)} % of ${texts.length} sampled values are ${r.kind} values` };
    }
  }
  return best;
}

/** Kinds whose values have a shape: a name that says "e-mail" over values that are not is doubtful. */
const SHAPED: ReadonlySet<PiiKind> = new Set(['email', 'creditCard', 'iban', 'ipAddress', 'phone']);

export interface ColumnInput {
  name: string;
  dataType?: string;
  /** Sampled values (raw or rendered); nulls are ignored. */
  values?: readonly unknown[];
}

/** The decision for one column: name and values combined, or undefined when nothing points at PII. */
export function classifyColumn(column: ColumnInput): PiiDecision | undefined {
  const byName = classifyByName(column.name);
  const values = column.values ?? [];
  const byValues = classifyByValues(values);
  const hasValues = values.some((v) => textOf(v) !== undefined);
  if (byName && byValues) {
    if (byName.kind === byValues.kind || byName.tag === byValues.tag) {
      const confidence = Math.min(1, Math.max(byName.confidence, byValues.confidence) + 0.05);
      return { kind: byValues.kind, tag: byValues.tag, confidence, reason: `${byName.reason} and ${byValues.reason}` };
    }
    return byValues.confidence >= byName.confidence ? byValues : byName;
  }
  if (byName) {
    // Values that should show the kind's shape and do not weaken the name's word.
    if (hasValues && SHAPED.has(byName.kind)) return { ...byName, confidence: byName.confidence - 0.25, reason: `${byName.reason}, but the sampled values do not look like it` };
    if (byName.kind === 'dateOfBirth' && hasValues && !values.some((v) => typeof v === 'number' || (typeof v === 'string' && isDateText(v)))) {
      return { ...byName, confidence: byName.confidence - 0.25, reason: `${byName.reason}, but the sampled values are not dates` };
    }
    return byName;
  }
  if (byValues) {
    // A name that says the column is an identifier of something else makes weak shapes weaker.
    const tokens = new Set(nameTokens(column.name));
    // Software versions are dotted quads too.
    if (byValues.kind === 'ipAddress' && tokens.has('version')) return undefined;
    const identifierName = ['id', 'code', 'sku', 'part', 'ref', 'number', 'no', 'serial', 'version', 'key'].some((t) => tokens.has(t));
    if (identifierName && byValues.confidence < 0.9) return { ...byValues, confidence: byValues.confidence * 0.8, reason: `${byValues.reason} (weak, the name reads as an identifier)` };
    return byValues;
  }
  return undefined;
}
