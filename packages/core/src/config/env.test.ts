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

  it('reports every unset ${VAR} with its path, and mentions $$', () => {
    const { violations } = expandEnv(
      { source: { serviceConnection: { config: { key: '${AWS_KEY}', list: ['ok', '${OTHER}'] } } } },
      env,
    );
    expect(violations).toEqual([
      expect.objectContaining({ path: 'source.serviceConnection.config.key', message: 'environment variable AWS_KEY is not set' }),
      expect.objectContaining({ path: 'source.serviceConnection.config.list[1]', message: 'environment variable OTHER is not set' }),
    ]);
    expect(violations[0].hint).toContain('${AWS_KEY:-value}');
    expect(violations[0].hint).toContain('write $$ for a literal $');
  });

  // OpenMetadata's load_config_file expands with Python's os.path.expandvars, which leaves a
  // reference to an unset variable as written (ingestion/src/metadata/config/common.py, load_config_file).
  it('leaves an unset bare $name as written, like OpenMetadata, and says where', () => {
    const result = expandEnv({ securityConfig: { password: 'Xy$zz9+abc' }, whole: '$UNSET_WHOLE', set: 'a$HOST' }, env);
    expect(result.violations).toEqual([]);
    expect(result.value).toEqual({ securityConfig: { password: 'Xy$zz9+abc' }, whole: '$UNSET_WHOLE', set: 'alocalhost' });
    expect(result.leftAsWritten).toEqual([
      { path: 'securityConfig.password', name: 'zz9' },
      { path: 'whole', name: 'UNSET_WHOLE' },
    ]);
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
