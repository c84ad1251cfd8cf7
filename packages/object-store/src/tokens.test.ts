import { capabilityToken } from '@om/core';
import { container as root } from 'tsyringe';
import type { ObjectStoreFactory } from './contract';
import { FIRST_PARTY_SHAPES } from './shapes';
import { boundShapes, objectStoreToken } from './tokens';

describe('objectStoreToken', () => {
  it('binds and finds a factory under the capability token core resolves, with its shape', () => {
    const c = root.createChildContainer();
    const factory: ObjectStoreFactory = { create: () => ({}) as never };
    const token = objectStoreToken('web');
    expect(token.capability).toBe('objectStore:web');
    expect(token.get(c)).toBeUndefined();
    token.bind(c, factory, { keys: ['baseUrl'] });
    objectStoreToken('s3').bind(c, factory, FIRST_PARTY_SHAPES.s3);
    expect(token.get(c)).toBe(factory);
    expect(c.resolve(capabilityToken('objectStore:web'))).toBe(factory);
    expect(boundShapes(c).map((s) => s.kind)).toEqual(['web', 's3']);
  });
});
