import type { OpenMetadataClient } from '@om/openmetadata';
import { planningClient } from './dry-run-client';

/** A stand-in with the client's shape: every method goes through `request`, as the real one does. */
class FakeClient {
  readonly sent: string[] = [];
  knownServerVersion = '1.6.2';
  async request(method: string, urlPath: string): Promise<{ data: unknown }> {
    this.sent.push(`${method} ${urlPath}`);
    return { data: { id: 'server-id', fullyQualifiedName: 'from.server' } };
  }
  async get(urlPath: string): Promise<unknown> {
    return (await this.request('GET', urlPath)).data;
  }
  async put(urlPath: string, body: unknown): Promise<unknown> {
    return (await this.request('PUT', urlPath)).data ?? body;
  }
  /** A write method the planning client has never heard of. */
  async archive(urlPath: string): Promise<unknown> {
    return (await this.request('POST', urlPath)).data;
  }
}

describe('the dry-run client', () => {
  it('reads through, plans known writes, and refuses any other write at the request path', async () => {
    const fake = new FakeClient();
    const planned: string[] = [];
    const client = planningClient(fake as unknown as OpenMetadataClient, (l) => planned.push(l)) as unknown as FakeClient;
    expect(await client.get('tables/name/a')).toEqual({ id: 'server-id', fullyQualifiedName: 'from.server' });
    expect(await client.put('tags', { name: 'pii', classification: 'dbtTags' })).toEqual({
      entity: { id: 'dry-run', name: 'pii', fullyQualifiedName: 'pii' },
      change: 'created',
    });
    await expect(client.archive('tables/1/archive')).rejects.toThrow('dry run: POST tables/1/archive was not sent');
    expect(client.knownServerVersion).toBe('1.6.2');
    expect(planned).toEqual(['PUT /tags pii', 'POST /tables/1/archive']);
    expect(fake.sent).toEqual(['GET tables/name/a']);
  });
});
