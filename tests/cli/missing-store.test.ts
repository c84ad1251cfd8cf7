import { createUserProject, writeFile } from '../helpers/user-project';

describe('metadata CLI with @om/datalake but no cloud store plugin', () => {
  it('names the store package to add for configSource s3Config', () => {
    const project = createUserProject(['@om/datalake']);
    writeFile(
      project.dir,
      's3.yaml',
      `source:
  type: datalake
  serviceName: lake
  serviceConnection:
    config:
      type: Datalake
      configSource:
        securityConfig:
          awsAccessKeyId: AKIAEXAMPLE
          awsSecretAccessKey: do-not-print-this-secret
          awsRegion: us-east-1
      bucketName: my-bucket
  sourceConfig:
    config:
      type: DatabaseMetadata
sink:
  type: console
workflowConfig: {}
`,
    );
    const result = project.run(['ingest', '-c', 's3.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('configSource s3Config needs @om/datalake-s3: pnpm add @om/datalake-s3');
    expect(result.stderr + result.stdout).not.toContain('do-not-print-this-secret');
    const plugins = project.run(['plugins']).stdout;
    expect(plugins).toMatch(/@om\/datalake\s+\|/);
    expect(plugins).not.toContain('@om/datalake-s3');
  });
});
