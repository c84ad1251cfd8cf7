import { MarkDeletedTracker, planDeletion } from './mark-deleted';

const server = (...names: string[]) => names.map((n, i) => ({ id: `id${i}`, fullyQualifiedName: `s.d.sch.${n}` }));

describe('mark-deleted planning', () => {
  it('schedules only complete schemas that asked for it, and never one whose listing failed', () => {
    const t = new MarkDeletedTracker();
    t.tableSeen('s.d.a', 's.d.a.t1');
    expect(t.schemaDone('s.d.a', true, true)).toBe('scheduled');
    expect(t.schemaDone('s.d.b', false, true)).toBe('incomplete');
    // A later complete pass over the same schema does not make it safe again.
    expect(t.schemaDone('s.d.b', true, true)).toBe('incomplete');
    expect(t.schemaDone('s.d.c', true, false)).toBe('off');
    const taken = t.take();
    expect(taken.map((x) => x.schema)).toEqual(['s.d.a']);
    expect([...taken[0].seen]).toEqual(['s.d.a.t1']);
    expect(t.take()).toEqual([]);
  });

  it('finds unseen tables case-insensitively and refuses above the threshold', () => {
    const seen = new Set(['s.d.sch.a', 's.d.sch.b']);
    expect(planDeletion('s.d.sch', seen, server('A', 'b', 'c', 'd'), 50)).toMatchObject({ percent: 50, refused: false, stale: [{ fullyQualifiedName: 's.d.sch.c' }, { fullyQualifiedName: 's.d.sch.d' }] });
    expect(planDeletion('s.d.sch', new Set(['s.d.sch.a']), server('a', 'b', 'c'), 50)).toMatchObject({ refused: true, serverTables: 3 });
    expect(planDeletion('s.d.sch', new Set(), server('a'), 100)).toMatchObject({ refused: false, percent: 100 });
    expect(planDeletion('s.d.sch', new Set(), [], 50)).toMatchObject({ refused: false, stale: [] });
  });
});
