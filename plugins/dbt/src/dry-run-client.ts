/**
 * `--dry-run` for dbt: the source writes through the OpenMetadata client itself (there is nothing
 * for a sink to do), so in a dry run its writes go to this stand-in instead: reads reach the
 * server, every PUT / PATCH / POST / DELETE becomes one planned line and is not sent.
 */
import type { OpenMetadataClient } from '@om/openmetadata';

const WRITES = new Set(['put', 'putAction', 'patch', 'post', 'delete']);

function label(body: unknown): string {
  const b = (body ?? {}) as { name?: unknown; fullyQualifiedName?: unknown; edge?: { fromEntity?: { fqn?: unknown }; toEntity?: { fqn?: unknown } } };
  if (typeof b.fullyQualifiedName === 'string') return ` ${b.fullyQualifiedName}`;
  if (typeof b.name === 'string') return ` ${b.name}`;
  if (b.edge) return ` ${String(b.edge.fromEntity?.fqn ?? '?')} → ${String(b.edge.toEntity?.fqn ?? '?')}`;
  return '';
}

export function planningClient(client: OpenMetadataClient, plan: (line: string) => void): OpenMetadataClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && WRITES.has(prop)) {
        return async (urlPath: string, body?: unknown) => {
          const method = prop === 'putAction' ? 'PUT' : prop.toUpperCase();
          const what = prop === 'patch' && Array.isArray(body) ? ` (${body.length} operation(s))` : prop === 'delete' ? '' : label(body);
          plan(`${method} /${urlPath.replace(/^\/+/, '')}${what}`);
          if (prop !== 'put') return undefined;
          const b = (body ?? {}) as { name?: string; fullyQualifiedName?: string };
          return { entity: { id: 'dry-run', name: b.name, fullyQualifiedName: b.fullyQualifiedName ?? b.name }, change: 'created' };
        };
      }
      // The safety net under every other method: whatever reaches the client's request path with a
      // method other than GET is refused here, so nothing new can write in a dry run by mistake.
      if (prop === 'request') {
        return async (method: string, urlPath: string, ...rest: unknown[]) => {
          if (String(method).toUpperCase() === 'GET') return (target as unknown as { request: (...a: unknown[]) => unknown }).request(method, urlPath, ...rest);
          plan(`${String(method).toUpperCase()} /${String(urlPath).replace(/^\/+/, '')}`);
          throw new Error(`dry run: ${String(method).toUpperCase()} ${String(urlPath)} was not sent`);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      // Bound to the proxy, so the client's own calls (`this.request`) go through these traps too.
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(receiver) : value;
    },
  });
}
