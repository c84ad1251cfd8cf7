import { validateAgainst } from '@om/core';
import { gcsConfigSchema } from './config';

describe('gcsConfig validation', () => {
  it('finds a privateKey that is no PEM at validation, without echoing the value', () => {
    const violations = validateAgainst(
      gcsConfigSchema,
      { securityConfig: { gcpConfig: { type: 'service_account', projectId: 'p1', privateKey: 'not-a-key-secret-123', clientEmail: 'sa@p1.iam.gserviceaccount.com' } } },
      '/source/serviceConnection/config/configSource',
    );
    expect(violations).toContainEqual({
      path: 'source.serviceConnection.config.configSource.securityConfig.gcpConfig.privateKey',
      message: 'is not a PEM private key: copy private_key from the service account JSON key file (it starts with -----BEGIN PRIVATE KEY-----)',
    });
    expect(JSON.stringify(violations)).not.toContain('not-a-key-secret-123');
  });

  it('accepts a PEM key, also with literal \\n as YAML and environment variables carry it', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\\n';
    expect(validateAgainst(gcsConfigSchema, { securityConfig: { gcpConfig: { privateKey: pem, clientEmail: 'sa@x' } } })).toEqual([]);
    expect(validateAgainst(gcsConfigSchema, { securityConfig: { gcpConfig: { privateKey: '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----', clientEmail: 'sa@x' } } })).toEqual([]);
  });
});
