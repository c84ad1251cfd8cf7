import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { AwsConfigError, buildAwsClientConfig, DEFAULT_MAX_ATTEMPTS } from './client-config';

describe('buildAwsClientConfig', () => {
  it('uses static keys and the session token', async () => {
    const r = buildAwsClientConfig({
      awsRegion: 'eu-west-1',
      awsAccessKeyId: 'AKIDEXAMPLE',
      awsSecretAccessKey: 'secret-value-1',
      awsSessionToken: 'token-value-1',
      endPointURL: 'http://127.0.0.1:4566',
    });
    expect(r.credentialSource).toBe('static');
    expect(r.config).toEqual({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4566',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-value-1', sessionToken: 'token-value-1' },
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      retryMode: 'standard',
      requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 },
    });
    expect(r.summary).not.toContain('secret-value-1');
    expect(r.summary).not.toContain('token-value-1');
    expect(r.summary).toContain('static keys with session token');
  });

  it('leaves credentials out (SDK default chain) when no keys or profile are given; null and empty mean unset', () => {
    const r = buildAwsClientConfig({ awsRegion: 'us-east-1', awsAccessKeyId: '', awsSecretAccessKey: null, endPointURL: null });
    expect(r.credentialSource).toBe('default');
    expect(r.config).toEqual({
      region: 'us-east-1',
      maxAttempts: 5,
      retryMode: 'standard',
      requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 },
    });
    expect('credentials' in r.config).toBe(false);
    expect(r.assumeRole).toBeUndefined();
  });

  it('sets connect and read (idle) timeouts on the HTTP handler, so no request waits forever', () => {
    const r = buildAwsClientConfig({ awsRegion: 'us-east-1' }, { connectTimeoutSeconds: 2, readTimeoutSeconds: 0.5 });
    expect(r.config.requestHandler).toEqual({ connectionTimeout: 2000, socketTimeout: 500 });
    expect(r.summary).toContain('timeouts connect 2 s / read 0.5 s');
    expect(() => buildAwsClientConfig({ awsRegion: 'us-east-1' }, { readTimeoutSeconds: 0 })).toThrow(/readTimeoutSeconds must be a number of seconds above 0/);
  });

  it('takes the retry mode and max attempts', () => {
    const r = buildAwsClientConfig({ awsRegion: 'us-east-1' }, { maxAttempts: 9, retryMode: 'adaptive' });
    expect(r.config.maxAttempts).toBe(9);
    expect(r.config.retryMode).toBe('adaptive');
    expect(() => buildAwsClientConfig({ awsRegion: 'us-east-1' }, { maxAttempts: 0 })).toThrow(/maxAttempts/);
  });

  it('rejects half a key pair, naming the missing field', () => {
    expect(() =>
      buildAwsClientConfig({ awsRegion: 'us-east-1', awsAccessKeyId: 'AKIDEXAMPLE' }, { configPath: 'source.serviceConnection.config.awsConfig' }),
    ).toThrow('source.serviceConnection.config.awsConfig.awsSecretAccessKey is missing');
    expect(() => buildAwsClientConfig({ awsRegion: 'us-east-1', awsSecretAccessKey: 'secret-value-2' })).toThrow(AwsConfigError);
    try {
      buildAwsClientConfig({ awsRegion: 'us-east-1', awsSecretAccessKey: 'secret-value-2' });
    } catch (err) {
      expect((err as Error).message).not.toContain('secret-value-2');
      expect((err as AwsConfigError).userError).toBe(true);
    }
    expect(() => buildAwsClientConfig({ awsRegion: '' })).toThrow(/awsRegion is required/);
  });

  it('reads a named profile from the shared credentials file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-aws-'));
    const credentialsFile = path.join(dir, 'credentials');
    fs.writeFileSync(credentialsFile, '[analytics]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n');
    fs.writeFileSync(path.join(dir, 'config'), '');
    const saved = { c: process.env.AWS_SHARED_CREDENTIALS_FILE, f: process.env.AWS_CONFIG_FILE };
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    try {
      const r = buildAwsClientConfig({ awsRegion: 'us-east-1', profileName: 'analytics' });
      expect(r.credentialSource).toBe('profile');
      expect(r.profile).toBe('analytics');
      const creds = await (r.config.credentials as AwsCredentialIdentityProvider)();
      expect(creds).toMatchObject({ accessKeyId: 'AKIDPROFILE', secretAccessKey: 'profile-secret' });
    } finally {
      if (saved.c === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
      else process.env.AWS_SHARED_CREDENTIALS_FILE = saved.c;
      if (saved.f === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = saved.f;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keys win over a profile, as boto3 does', () => {
    const r = buildAwsClientConfig({ awsRegion: 'us-east-1', profileName: 'x', awsAccessKeyId: 'AKID', awsSecretAccessKey: 'secret-value-3' });
    expect(r.credentialSource).toBe('static');
  });

  describe('assume role', () => {
    // A local STS stand-in (plain HTTP on 127.0.0.1): records the AssumeRole request it gets and
    // answers with temporary credentials, so the provider wiring is exercised over the wire.
    let server: http.Server;
    let endpoint: string;
    const requests: { body: string; authorization: string }[] = [];

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          requests.push({ body, authorization: String(req.headers.authorization ?? '') });
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end(
            '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>' +
              '<Credentials><AccessKeyId>ASIATEMPORARY</AccessKeyId><SecretAccessKey>temporary-secret</SecretAccessKey>' +
              '<SessionToken>temporary-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>' +
              '<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/reader/s</Arn><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser>' +
              '</AssumeRoleResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></AssumeRoleResponse>',
          );
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('builds the AssumeRole parameters with the default session name', () => {
      const r = buildAwsClientConfig({ awsRegion: 'us-east-2', assumeRoleArn: 'arn:aws:iam::123456789012:role/reader' });
      expect(r.assumeRole).toEqual({ RoleArn: 'arn:aws:iam::123456789012:role/reader', RoleSessionName: 'OpenMetadataSession' });
      expect(r.credentialSource).toBe('default');
      expect(typeof r.config.credentials).toBe('function');
      expect(r.summary).toContain('assume role arn:aws:iam::123456789012:role/reader (session OpenMetadataSession)');
    });

    it('calls STS with the base keys and uses the temporary credentials', async () => {
      const r = buildAwsClientConfig(
        {
          awsRegion: 'us-east-2',
          awsAccessKeyId: 'AKIDBASE',
          awsSecretAccessKey: 'base-secret',
          assumeRoleArn: 'arn:aws:iam::123456789012:role/reader',
          assumeRoleSessionName: 'nightly',
          assumeRoleSourceIdentity: 'alice',
          endPointURL: 'http://127.0.0.1:1',
        },
        { stsEndpoint: endpoint },
      );
      expect(r.assumeRole).toEqual({ RoleArn: 'arn:aws:iam::123456789012:role/reader', RoleSessionName: 'nightly', SourceIdentity: 'alice' });
      expect(r.config.endpoint).toBe('http://127.0.0.1:1');
      const creds = await (r.config.credentials as AwsCredentialIdentityProvider)();
      expect(creds).toMatchObject({ accessKeyId: 'ASIATEMPORARY', secretAccessKey: 'temporary-secret', sessionToken: 'temporary-token' });
      expect(requests).toHaveLength(1);
      const params = new URLSearchParams(requests[0].body);
      expect(params.get('Action')).toBe('AssumeRole');
      expect(params.get('RoleArn')).toBe('arn:aws:iam::123456789012:role/reader');
      expect(params.get('RoleSessionName')).toBe('nightly');
      expect(params.get('SourceIdentity')).toBe('alice');
      // Signed with the base key for the configured region.
      expect(requests[0].authorization).toContain('Credential=AKIDBASE/');
      expect(requests[0].authorization).toContain('/us-east-2/sts/aws4_request');
    });
  });
});
