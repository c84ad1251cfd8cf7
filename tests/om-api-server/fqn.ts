/** FQN quoting as the OpenMetadata server does it (its own copy: the server must not trust @om/core). */
export class FqnError extends Error {}

export function quote(name: string): string {
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    const inner = name.slice(1, -1);
    if (inner.includes('"')) throw new FqnError(`Invalid name ${name}`);
    return inner.includes('.') ? name : inner;
  }
  if (name.includes('"')) throw new FqnError(`Invalid name ${name}`);
  return name.includes('.') ? `"${name}"` : name;
}

export function join(...parts: string[]): string {
  return parts.map(quote).join('.');
}

/** Splits an FQN into unquoted parts. */
export function split(fqn: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of fqn) {
    if (ch === '"') {
      quoted = !quoted;
      continue;
    }
    if (ch === '.' && !quoted) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (quoted) throw new FqnError(`Invalid FQN ${fqn}`);
  parts.push(cur);
  return parts;
}

/** The parent FQN (everything but the last part), or undefined for a top-level name. */
export function parentOf(fqn: string): string | undefined {
  const parts = split(fqn);
  return parts.length > 1 ? join(...parts.slice(0, -1)) : undefined;
}
