/**
 * Fully qualified names as OpenMetadata builds them (`fqn.py`, Java `FullyQualifiedName`):
 * parts joined by `.`, a part containing `.` wrapped in double quotes.
 */
import { OmError } from './errors';

export const FQN_SEPARATOR = '.';

export class InvalidFqnError extends OmError {}

/** Quotes one name part: `a.b` → `"a.b"`, `"ab"` → `ab`, `"a.b"` stays; a stray `"` is an error. */
export function quoteName(name: string): string {
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    const inner = name.slice(1, -1);
    if (inner.includes('"')) throw new InvalidFqnError(`Invalid name ${name}: it contains a double quote inside quotes`);
    return inner.includes(FQN_SEPARATOR) ? name : inner;
  }
  if (name.includes('"')) {
    throw new InvalidFqnError(`Invalid name ${name}: a double quote is only allowed around the whole name`);
  }
  return name.includes(FQN_SEPARATOR) ? `"${name}"` : name;
}

export function unquoteName(name: string): string {
  return name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
}

/** Joins parts into an FQN, quoting each; undefined/empty parts are an error. */
export function buildFqn(...parts: string[]): string {
  parts.forEach((part, i) => {
    if (typeof part !== 'string' || part.length === 0) {
      throw new InvalidFqnError(`Cannot build an FQN: part ${i + 1} of [${parts.join(', ')}] is empty`);
    }
  });
  return parts.map(quoteName).join(FQN_SEPARATOR);
}

/** A table's FQN from its create request: the schema's FQN and the table's name, quoted. */
export function tableFqnOf(entity: { databaseSchema: string; name: string }): string {
  return `${entity.databaseSchema}${FQN_SEPARATOR}${buildFqn(entity.name)}`;
}

/** Splits an FQN honouring quotes; returns unquoted parts. */
export function splitFqn(fqn: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let i = 0; i < fqn.length; i++) {
    const ch = fqn[i];
    if (ch === '"') {
      if (inQuotes) {
        const next = fqn[i + 1];
        if (next !== undefined && next !== FQN_SEPARATOR) {
          throw new InvalidFqnError(`Invalid FQN ${fqn}: a closing quote must end the name part`);
        }
        inQuotes = false;
      } else {
        if (current.length > 0) throw new InvalidFqnError(`Invalid FQN ${fqn}: a quote must start the name part`);
        inQuotes = true;
      }
      continue;
    }
    if (ch === FQN_SEPARATOR && !inQuotes) {
      if (current.length === 0) throw new InvalidFqnError(`Invalid FQN ${fqn}: empty name part`);
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (inQuotes) throw new InvalidFqnError(`Invalid FQN ${fqn}: unbalanced quote`);
  if (current.length === 0) throw new InvalidFqnError(`Invalid FQN ${fqn}: empty name part`);
  parts.push(current);
  return parts;
}
