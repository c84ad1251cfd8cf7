import { CompiledFilter, filterOut } from './filters';
import { ConfigError } from './errors';

describe('filter patterns (OpenMetadata semantics)', () => {
  const cases: [string, { includes?: string[]; excludes?: string[] } | undefined, string, boolean][] = [
    ['no pattern keeps everything', undefined, 'anything', false],
    ['empty lists keep everything', { includes: [], excludes: [] }, 'anything', false],
    ['include matches from the start', { includes: ['sales'] }, 'sales_2024', false],
    ['include is not a search', { includes: ['sales'] }, 'old_sales', true],
    ['include is case-insensitive', { includes: ['SALES'] }, 'sales', false],
    ['suffix needs .*', { includes: ['.*\\.csv$'] }, 'users/users.csv', false],
    ['$ anchors the end', { includes: ['users$'] }, 'users_old', true],
    ['exclude filters a match', { excludes: ['tmp'] }, 'tmp_table', true],
    ['exclude keeps a non-match', { excludes: ['tmp'] }, 'table_tmp', false],
    ['includes win over excludes', { includes: ['tmp.*'], excludes: ['tmp.*'] }, 'tmp_x', false],
    ['excludes ignored when includes exist', { includes: ['a.*'], excludes: ['b.*'] }, 'b_table', true],
    ['any include is enough', { includes: ['x', 'users'] }, 'users', false],
    ['alternation is grouped before anchoring', { includes: ['foo|bar'] }, 'xbar', true],
    ['python named groups are accepted', { includes: ['(?P<name>sales)_\\d+'] }, 'sales_1', false],
    ['inline (?i) is accepted', { includes: ['(?i)Sales'] }, 'SALES', false],
  ];
  test.each(cases)('%s', (_title, pattern, name, filtered) => {
    expect(filterOut(pattern, name)).toBe(filtered);
  });

  it('reports an invalid regex as a config error naming the pattern and its path', () => {
    let error: unknown;
    try {
      new CompiledFilter({ includes: ['ok', '(unclosed'] }, 'source.sourceConfig.config.tableFilterPattern');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const violation = (error as ConfigError).violations[0];
    expect(violation.path).toBe('source.sourceConfig.config.tableFilterPattern.includes[1]');
    expect(violation.message).toContain('"(unclosed"');
  });
});
