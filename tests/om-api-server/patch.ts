/**
 * RFC 6902 JSON Patch, as strict as the spec: `replace`/`remove` need an existing target, array
 * indexes must be in range (`-` appends for `add`), unknown ops are refused. The server restricts
 * which paths of an entity may be patched (see `TABLE_PATCHABLE`).
 */
import { badRequest, isObject } from './validate';

type Obj = Record<string, unknown>;

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

/** Table paths a PATCH may touch (what descriptions/tags/owners updates need). */
export const TABLE_PATCHABLE: RegExp[] = [
  /^\/description$/,
  /^\/displayName$/,
  /^\/tags(\/(\d+|-))?$/,
  /^\/owners(\/(\d+|-))?$/,
  /** The single owner of servers before 1.5. */
  /^\/owner$/,
  /^\/columns\/\d+\/description$/,
  /^\/columns\/\d+\/displayName$/,
  /^\/columns\/\d+\/tags(\/(\d+|-))?$/,
];

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`Invalid JSON Patch path ${JSON.stringify(path)}: it must start with "/"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function validateOperations(ops: unknown, allowed: RegExp[]): PatchOperation[] {
  if (!Array.isArray(ops)) throw badRequest('A JSON Patch body must be an array of operations');
  return ops.map((o, i) => {
    if (!isObject(o)) throw badRequest(`JSON Patch operation ${i} must be an object`);
    if (!['add', 'replace', 'remove', 'test'].includes(o.op as string)) {
      throw badRequest(`JSON Patch operation ${i}: unsupported op ${JSON.stringify(o.op)}`);
    }
    if (typeof o.path !== 'string') throw badRequest(`JSON Patch operation ${i}: path must be a string`);
    if (o.op !== 'remove' && !('value' in o)) throw badRequest(`JSON Patch operation ${i}: ${String(o.op)} needs a value`);
    if (!allowed.some((r) => r.test(o.path as string))) throw badRequest(`Cannot patch field ${o.path as string}`);
    return o as unknown as PatchOperation;
  });
}

/** Applies operations to a deep copy of `doc`; throws 400 for a path that does not resolve. */
export function applyPatch(doc: Obj, ops: PatchOperation[]): Obj {
  const out = structuredClone(doc);
  for (const op of ops) {
    const parts = parsePointer(op.path);
    const last = parts.pop();
    if (last === undefined) throw badRequest('Cannot patch the whole entity');
    let node: unknown = out;
    for (const p of parts) {
      node = Array.isArray(node) ? node[Number(p)] : isObject(node) ? node[p] : undefined;
      if (node === undefined) throw badRequest(`JSON Patch path ${op.path} does not exist`);
    }
    if (Array.isArray(node)) {
      const index = last === '-' ? node.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > node.length || (op.op !== 'add' && index >= node.length)) {
        throw badRequest(`JSON Patch path ${op.path}: index out of range`);
      }
      if (op.op === 'add') node.splice(index, 0, structuredClone(op.value));
      else if (op.op === 'replace') node[index] = structuredClone(op.value);
      else if (op.op === 'remove') node.splice(index, 1);
      else if (JSON.stringify(node[index]) !== JSON.stringify(op.value)) throw badRequest(`JSON Patch test failed at ${op.path}`);
      continue;
    }
    if (!isObject(node)) throw badRequest(`JSON Patch path ${op.path} does not exist`);
    const exists = Object.prototype.hasOwnProperty.call(node, last) && node[last] !== undefined;
    if ((op.op === 'replace' || op.op === 'remove' || op.op === 'test') && !exists) {
      throw badRequest(`JSON Patch ${op.op} at ${op.path}: the target does not exist (use add)`);
    }
    if (op.op === 'add' || op.op === 'replace') node[last] = structuredClone(op.value);
    else if (op.op === 'remove') delete node[last];
    else if (JSON.stringify(node[last]) !== JSON.stringify(op.value)) throw badRequest(`JSON Patch test failed at ${op.path}`);
  }
  return out;
}
