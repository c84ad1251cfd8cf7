import { awsCredentialsSchema } from '@om/aws';
import { validateAgainst } from '@om/core';
import { dynamoDBConnectionSchema, parseDynamoDBSource } from './config';

describe('awsCredentialsSchema (from @om/aws, as core validates it)', () => {
  it('accepts OpenMetadata awsCredentials and marks the secret fields', () => {
    const secrets = new Set<string>();
    const value = {
      awsAccessKeyId: 'AKIDEXAMPLE',
      awsSecretAccessKey: 'secret-value',
      awsSessionToken: 'token-value',
      awsRegion: 'us-east-1',
      endPointURL: 'http://127.0.0.1:4566',
      profileName: null,
      assumeRoleArn: 'arn:aws:iam::123456789012:role/reader',
      assumeRoleSessionName: 'OpenMetadataSession',
      assumeRoleSourceIdentity: 'alice',
    };
    expect(validateAgainst(awsCredentialsSchema, value, '/aws', secrets)).toEqual([]);
    expect([...secrets].sort()).toEqual(['/aws/awsSecretAccessKey', '/aws/awsSessionToken']);
  });

  it('requires awsRegion and rejects unknown keys and non-URI endpoints', () => {
    const problems = validateAgainst(awsCredentialsSchema, { awsAccesKeyId: 'x', endPointURL: 'not a url' }, '/aws');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'aws.awsRegion', message: 'required key "awsRegion" is missing' }),
        expect.objectContaining({ path: 'aws.awsAccesKeyId', hint: 'did you mean "awsAccessKeyId"?' }),
        expect.objectContaining({ path: 'aws.endPointURL' }),
      ]),
    );
  });
});

describe('parseDynamoDBSource', () => {
  const base = (conn: Record<string, unknown> = {}, sourceConfig: Record<string, unknown> = {}) => ({
    type: 'dynamodb',
    serviceName: 'svc',
    serviceConnection: { config: { type: 'DynamoDB', awsConfig: { awsRegion: 'eu-west-1' }, ...conn } },
    sourceConfig: { config: { type: 'DatabaseMetadata', ...sourceConfig } },
  });

  it('applies defaults', () => {
    const s = parseDynamoDBSource(base());
    expect(s).toMatchObject({
      serviceName: 'svc',
      databaseName: 'default',
      region: 'eu-west-1',
      sampleSize: 1000,
      includeTables: true,
      markDeletedTables: true,
      useFqnForFiltering: false,
      limits: { maxColumns: 500 },
    });
    expect(s.aws.credentialSource).toBe('default');
    expect(s.aws.config).toEqual({ region: 'eu-west-1', maxAttempts: 5, retryMode: 'standard', requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 } });
  });

  it('reads the extension options and connection-level filters', () => {
    const s = parseDynamoDBSource(
      base(
        { databaseName: 'shop', connectionArguments: { maxAttempts: 8, retryMode: 'adaptive' }, tableFilterPattern: { includes: ['a'] } },
        { sampleSize: 50, scanPageSize: 10, listTablesPageSize: 3, maxColumns: 20, maxSchemaInferenceDepth: 2, maxChildrenPerColumn: 5 },
      ),
    );
    expect(s).toMatchObject({ databaseName: 'shop', sampleSize: 50, scanPageSize: 10, listTablesPageSize: 3, limits: { maxColumns: 20, maxDepth: 2, maxChildren: 5 } });
    expect(s.aws.config).toMatchObject({ maxAttempts: 8, retryMode: 'adaptive' });
    expect(s.tableFilter.filtersOut('b')).toBe(true);
    // sourceConfig filters win over the connection's.
    const t = parseDynamoDBSource(base({ tableFilterPattern: { includes: ['a'] } }, { tableFilterPattern: { includes: ['b'] } }));
    expect(t.tableFilter.filtersOut('b')).toBe(false);
  });

  it('fails clearly without a serviceConnection', () => {
    expect(() => parseDynamoDBSource({ type: 'dynamodb', serviceName: 'svc', sourceConfig: { config: {} } })).toThrow(
      /source.serviceConnection: the DynamoDB source needs serviceConnection.config with awsConfig/,
    );
  });

  it('the connection schema accepts connectionArguments with retry settings and checks them', () => {
    const ok = { type: 'DynamoDB', awsConfig: { awsRegion: 'us-east-1' }, connectionArguments: { maxAttempts: 3, retryMode: 'standard', other: 1 } };
    expect(validateAgainst(dynamoDBConnectionSchema, ok)).toEqual([]);
    const bad = { ...ok, connectionArguments: { retryMode: 'legacy' } };
    expect(validateAgainst(dynamoDBConnectionSchema, bad, '/c')[0]).toMatchObject({ path: 'c.connectionArguments.retryMode' });
  });
});
