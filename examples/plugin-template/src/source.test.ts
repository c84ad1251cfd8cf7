// Runs with Node's own test runner (npm test); any runner works, the checks only throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkSourceConformance } from '@om/core/test-kit';
import { plugin } from './plugin';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));

const config = {
  source: {
    type: 'sample',
    serviceName: 'sample_service',
    serviceConnection: { config: { type: 'Sample', tables: ['customers', 'orders', 'audit_log'] } },
    sourceConfig: { config: { type: 'DatabaseMetadata', tableFilterPattern: { excludes: ['audit.*'] } } },
  },
};

test('the sample source passes the Source conformance checks', async () => {
  const { records } = await checkSourceConformance({ plugin, manifest, config });
  const tables = records.flatMap((r) => (r.kind === 'table' ? [r.entity.name] : []));
  assert.deepEqual(tables, ['customers', 'orders']);
});

test('an unknown connection key is refused by the schema', async () => {
  const bad = { source: { ...config.source, serviceConnection: { config: { type: 'Sample', tabels: ['x'] } } } };
  await assert.rejects(checkSourceConformance({ plugin, manifest, config: bad }), /tabels/);
});
