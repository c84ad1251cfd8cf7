/**
 * JSON text typed straight into TypeNodes, without the value tree (`JsonCursor` Maps, arrays,
 * JsonFloat) that `TypeNode.addJson` would walk afterwards: the schema sampler only needs the types.
 * It gives what parse-then-`addJson` gives, for the common case only: complete JSON Lines, or a
 * complete `.json` array of rows, whose objects repeat no key. Anything else (a syntax error, a cut
 * document, a repeated key, a node at the child limit, deep nesting) gives undefined, and the caller
 * takes the value-tree path, which also says what is wrong.
 */
import { JsonCursor } from './json-parse';
import { HARD_CHILD_LIMIT, TypeNode } from './tree';
import { jsonStringType } from './scalars';

/** Thrown for whatever this reader leaves to the value-tree path (not an Error: no stack to capture). */
const NOT_TYPED = { notTyped: true };
/** As in json-parse.ts: containers nested deeper are an error there. */
const MAX_DEPTH = 512;

/** Each object read gets a number; a node reached twice with one number is a repeated key. */
let objectVisits = 0;

export interface TypedRows {
  /** One node per top-level key, in first-seen order (a `value` node for rows that are no objects). */
  nodes: Map<string, TypeNode>;
  rows: number;
}

class JsonTyper extends JsonCursor {
  private level = 0;

  constructor(
    text: string,
    private readonly nodes: Map<string, TypeNode>,
  ) {
    super(text, false);
  }

  private top(key: string): TypeNode {
    let node = this.nodes.get(key);
    if (!node) {
      node = new TypeNode();
      this.nodes.set(key, node);
    }
    return node;
  }

  private code(): number {
    this.skipWs();
    if (this.pos >= this.text.length) throw NOT_TYPED;
    return this.text.charCodeAt(this.pos);
  }

  /** One row: an object's keys go to the top-level nodes; another value (not null) to `value`. */
  row(): void {
    const c = this.code();
    if (c === 0x7b) return this.typeObject(undefined, true);
    if (c === 0x5b) return this.typeArray(this.top('value'));
    const v = this.value();
    if (v !== null) this.top('value').addJson(v);
  }

  /** One value into `node`; undefined: read and dropped (as for a key past the child limit). */
  typeValue(node: TypeNode | undefined): void {
    const c = this.code();
    if (c === 0x7b) return this.typeObject(node, false);
    if (c === 0x5b) return this.typeArray(node);
    if (c === 0x22) {
      const s = this.string();
      node?.addScalar(jsonStringType(s));
      return;
    }
    // true, false, null, numbers: as the value-tree path reads and types them.
    const v = this.value();
    node?.addJson(v);
  }

  /** An object: into `node` (its keys as children), or with `top`, a row (its keys as top-level nodes). */
  private typeObject(node: TypeNode | undefined, top: boolean): void {
    if (++this.level > MAX_DEPTH) throw NOT_TYPED;
    this.pos++; // {
    if (node) {
      node.nonNull++;
      node.children ??= new Map();
    }
    const visit = ++objectVisits;
    if (this.code() === 0x7d) this.pos++;
    else {
      for (;;) {
        if (this.code() !== 0x22) throw NOT_TYPED;
        const key = this.string();
        if (this.code() !== 0x3a) throw NOT_TYPED;
        this.pos++;
        let child: TypeNode | undefined;
        if (top) child = this.top(key);
        else if (node) {
          if (node.children!.size >= HARD_CHILD_LIMIT) throw NOT_TYPED;
          child = node.child(key);
        }
        if (child) {
          if (child.visit === visit) throw NOT_TYPED;
          child.visit = visit;
        }
        this.typeValue(child);
        const sep = this.code();
        this.pos++;
        if (sep === 0x7d) break;
        if (sep !== 0x2c) throw NOT_TYPED;
      }
    }
    this.level--;
  }

  private typeArray(node: TypeNode | undefined): void {
    if (++this.level > MAX_DEPTH) throw NOT_TYPED;
    this.pos++; // [
    if (node) {
      node.nonNull++;
      node.items ??= new TypeNode();
    }
    const items = node?.items;
    if (this.code() === 0x5d) this.pos++;
    else {
      for (;;) {
        this.typeValue(items);
        const sep = this.code();
        this.pos++;
        if (sep === 0x5d) break;
        if (sep !== 0x2c) throw NOT_TYPED;
      }
    }
    this.level--;
  }
}

/** As `inferJsonLines` reads its rows (blank lines skipped, a cut last line dropped, at most `maxRows`). */
export function typeJsonLines(text: string, cut: boolean, maxRows: number): TypedRows | undefined {
  const nodes = new Map<string, TypeNode>();
  const lines = text.split('\n');
  if (cut) lines.pop();
  let rows = 0;
  try {
    for (let i = 0; i < lines.length && rows < maxRows; i++) {
      const line = i === 0 ? lines[i].replace(/^\uFEFF/, '') : lines[i];
      if (line.trim() === '') continue;
      const typer = new JsonTyper(line, nodes);
      typer.row();
      if (!typer.atEnd()) return undefined;
      rows++;
    }
  } catch {
    return undefined;
  }
  return { nodes, rows };
}

/** As `parseJsonDocument` reads a complete `.json` array of rows (at most `maxRows`); other documents: undefined. */
export function typeJsonArray(text: string, cut: boolean, maxRows: number): TypedRows | undefined {
  if (cut) return undefined;
  const nodes = new Map<string, TypeNode>();
  const typer = new JsonTyper(text, nodes);
  let rows = 0;
  try {
    if (typer.atEnd() || typer.peek() !== '[') return undefined;
    typer.pos++;
    if (typer.peek() === ']') return { nodes, rows };
    while (rows < maxRows) {
      typer.row();
      rows++;
      const sep = typer.peek();
      typer.pos++;
      if (sep === ']') return typer.atEnd() ? { nodes, rows } : undefined;
      if (sep !== ',') return undefined;
    }
    return { nodes, rows };
  } catch {
    return undefined;
  }
}
