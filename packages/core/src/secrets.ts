/**
 * Secret masking. Values of fields that a schema marks secret (`format: password` or
 * `"secret": true`), plus fields whose names say they are secrets, are collected from the
 * config and replaced by `******` in every log line, error, status entry and output file.
 */

export const MASK = '******';

const SECRET_KEY_PATTERN =
  /(secret|password|passwd|token|privatekey|private_key|accountkey|connectionstring|sastoken|credential|apikey|api_key)/i;

/** Field names that look secret but hold plain metadata. */
const NOT_SECRET_KEYS = new Set(['tokenUri', 'tokenURL', 'authProvider', 'privateKeyId', 'secretsManagerProvider', 'secretsManagerLoader', 'tokenType', 'subjectTokenType']);

export function isSecretKey(key: string): boolean {
  return !NOT_SECRET_KEYS.has(key) && SECRET_KEY_PATTERN.test(key);
}

export class SecretMasker {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  /** Registers a literal secret value. Very short values are ignored to keep output readable. */
  add(value: unknown): void {
    if (typeof value !== 'string') return;
    const trimmed = value.trim();
    if (trimmed.length < 4 || this.secrets.has(trimmed)) return;
    this.secrets.add(trimmed);
    // Multi-line values (PEM keys) are also masked line by line, so a partial print is caught.
    if (trimmed.includes('\n')) {
      for (const line of trimmed.split(/\r?\n/)) if (line.trim().length >= 8) this.secrets.add(line.trim());
    }
    // The JSON-escaped form appears when an object holding the secret is serialized.
    const escaped = JSON.stringify(trimmed).slice(1, -1);
    if (escaped !== trimmed) this.secrets.add(escaped);
    this.pattern = undefined;
  }

  /** Walks a config object and registers every value held by a secret-looking key. */
  collectFrom(value: unknown, secretPaths: Set<string> = new Set(), path = ''): void {
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.collectFrom(item, secretPaths, `${path}/${i}`));
      return;
    }
    if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const childPath = `${path}/${key}`;
        if (typeof child === 'string' && (isSecretKey(key) || secretPaths.has(childPath))) this.add(child);
        else this.collectFrom(child, secretPaths, childPath);
      }
    }
  }

  get size(): number {
    return this.secrets.size;
  }

  redact(text: string): string {
    if (this.secrets.size === 0 || !text) return text;
    if (!this.pattern) {
      const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
    }
    return text.replace(this.pattern, MASK);
  }

  /** A deep copy with secret-keyed fields replaced and every string redacted. */
  redactObject<T>(value: T): T {
    return this.redactValue(value, '') as T;
  }

  private redactValue(value: unknown, key: string): unknown {
    if (typeof value === 'string') return isSecretKey(key) && value.length > 0 ? MASK : this.redact(value);
    if (Array.isArray(value)) return value.map((item) => this.redactValue(item, ''));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = this.redactValue(v, k);
      return out;
    }
    return value;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
