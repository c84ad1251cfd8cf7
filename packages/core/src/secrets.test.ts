import { MASK, SecretMasker } from './secrets';

describe('SecretMasker', () => {
  it('collects values by secret-looking keys and schema paths and masks them everywhere', () => {
    const masker = new SecretMasker();
    masker.collectFrom(
      {
        source: { serviceConnection: { config: { configSource: { securityConfig: { awsSecretAccessKey: 'AKIASECRETVALUE', awsRegion: 'us-east-1' } } } } },
        workflowConfig: { openMetadataServerConfig: { securityConfig: { jwtToken: 'eyJhbGciOi.payload.sig' } } },
        custom: { opaque: 'marked-by-schema' },
      },
      new Set(['/custom/opaque']),
    );
    const text = 'failed with AKIASECRETVALUE and token eyJhbGciOi.payload.sig and marked-by-schema in us-east-1';
    expect(masker.redact(text)).toBe(`failed with ${MASK} and token ${MASK} and ${MASK} in us-east-1`);
  });

  it('masks JSON-escaped and line-split forms of multi-line keys', () => {
    const masker = new SecretMasker();
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    masker.collectFrom({ privateKey: pem });
    expect(masker.redact(JSON.stringify({ k: pem }))).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(masker.redact('line: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')).toBe(`line: ${MASK}`);
  });

  it('redactObject replaces secret keys even when the value was never registered', () => {
    const masker = new SecretMasker();
    expect(masker.redactObject({ a: { clientSecret: 'x1', tokenUri: 'https://t' }, b: [{ password: 'p' }] })).toEqual({
      a: { clientSecret: MASK, tokenUri: 'https://t' },
      b: [{ password: MASK }],
    });
  });
});
