import { ConfigError } from '../errors';
import { parseConfigText } from './load';

describe('parseConfigText', () => {
  it('turns a YAML alias bomb into a config error naming the file, not a stack trace', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const bomb = `${lines.join('\n')}\nsource: *j\n`;
    let err: unknown;
    try {
      parseConfigText(bomb, 'yaml', 'bomb.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/bomb\.yaml/);
    expect((err as ConfigError).message).toMatch(/YAML: .*alias/i);
    expect((err as ConfigError).message).toMatch(/use fewer YAML aliases/);
  });
});
