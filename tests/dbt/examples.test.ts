/** The dbt example configs validate against the plugins' schemas. */
import * as path from 'node:path';
import { expandEnv, readConfigFile, validateWorkflowConfig } from '@om/core';
import { plugin as s3Plugin } from '../../plugins/datalake-s3/src';
import { registry } from './helpers';

const env = { OM_JWT: 'jwt-example-token', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example-secret-0000' };

test.each(['dbt-local.yaml', 'dbt-s3.yaml'])('examples/%s is a valid config', async (file) => {
  const raw = readConfigFile(path.resolve(__dirname, '../../examples', file));
  const expanded = expandEnv(raw, env);
  expect(expanded.violations).toEqual([]);
  const validated = await validateWorkflowConfig(expanded.value, registry({ descriptor: s3Plugin, name: '@om/datalake-s3' }), file);
  expect(validated.capabilities.map((c) => c.capability)).toEqual(
    file === 'dbt-s3.yaml' ? ['source:dbt', 'sink:metadata-rest', 'objectStore:s3'] : ['source:dbt', 'sink:metadata-rest'],
  );
  // the secrets of the dbt security config are masked
  if (file === 'dbt-s3.yaml') expect([...validated.secretPaths]).toContain('/source/sourceConfig/config/dbtConfigSource/dbtSecurityConfig/awsSecretAccessKey');
});
