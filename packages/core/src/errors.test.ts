import { ConfigError, isUserError, OmError, PluginError, userErrorExitCode, WorkflowExecutionError } from './errors';

class BadCredentials extends OmError {}

test('the kind decides userError and the exit code', () => {
  const config = ConfigError.single('source.type', 'required');
  expect(config).toMatchObject({ kind: 'config', userError: true, exitCode: 2, name: 'ConfigError' });
  expect(new PluginError('missing')).toMatchObject({ kind: 'config', exitCode: 2 });
  expect(new WorkflowExecutionError('below threshold')).toMatchObject({ kind: 'user', userError: true, exitCode: 1 });
  const sub = new BadCredentials('keyfile and privateKey both set');
  expect(sub).toMatchObject({ kind: 'user', userError: true, exitCode: 1, name: 'BadCredentials' });
  expect(isUserError(sub)).toBe(true);
  const transient = new OmError('503 from the server', { kind: 'transient' });
  expect(transient).toMatchObject({ userError: false, exitCode: 1 });
  expect(isUserError(transient)).toBe(false);
  expect(isUserError(new OmError('bug', { kind: 'internal' }))).toBe(false);
});

test('the exit code is read from the property, so another @om/core copy agrees', () => {
  expect(userErrorExitCode({ exitCode: 2 })).toBe(2);
  expect(userErrorExitCode(Object.assign(new Error('x'), { name: 'PluginError' }))).toBe(2);
  expect(userErrorExitCode(new Error('x'))).toBe(1);
});

test('a cause is kept', () => {
  const cause = new Error('ECONNRESET');
  expect(new OmError('read failed', { kind: 'transient', cause }).cause).toBe(cause);
});
