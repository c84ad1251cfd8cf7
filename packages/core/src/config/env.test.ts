import { expandEnv } from './env';

describe('environment expansion', () => {
  const env = { HOST: 'localhost', PORT: '8585', EMPTY: '', TOKEN: 's3cr3t-token' };

  it('expands $VAR, ${VAR} and defaults in nested values', () => {
    const { value, violations } = expandEnv(
      {
        a: 'http://${HOST}:$PORT/api',
        b: ['${MISSING:-fallback}', '${MISSING-dash}'],
        c: { d: 'price is $$5', e: 42, f: true },
        g: '.*\\.csv$',
        h: '^(a|b)$|x$',
      },
      env,
    );
    expect(violations).toEqual([]);
    expect(value).toEqual({
      a: 'http://localhost:8585/api',
      b: ['fallback', 'dash'],
      c: { d: 'price is $5', e: 42, f: true },
      g: '.*\\.csv$',
      h: '^(a|b)$|x$',
    });
  });

  it('reports every unset variable with its path', () => {
    const { violations } = expandEnv(
      { source: { serviceConnection: { config: { key: '$AWS_KEY', list: ['ok', '${OTHER}'] } } } },
      env,
    );
    expect(violations).toEqual([
      expect.objectContaining({ path: 'source.serviceConnection.config.key', message: 'environment variable AWS_KEY is not set' }),
      expect.objectContaining({ path: 'source.serviceConnection.config.list[1]', message: 'environment variable OTHER is not set' }),
    ]);
    expect(violations[0].hint).toContain('${AWS_KEY:-value}');
  });

  it('treats an empty variable as set, and uses the default for :- only', () => {
    expect(expandEnv({ a: '${EMPTY:-d}', b: '$EMPTY' }, env).value).toEqual({ a: 'd', b: '' });
  });

  it('rejects malformed references', () => {
    const { violations } = expandEnv({ a: '${not valid}' }, env);
    expect(violations[0].message).toContain('not a valid environment variable reference');
  });

  it('leaves keys alone', () => {
    expect(expandEnv({ $HOST: 'x' }, env).value).toEqual({ $HOST: 'x' });
  });
});
