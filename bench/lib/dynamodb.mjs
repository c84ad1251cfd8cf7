// DynamoDB on dynalite: the tables the bench creates (through the plugin's own test helpers), the
// DynamoDB source through the Workflow, and the bare-SDK minimum over the same tables.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { createRequire } from 'node:module';
import { ROOT, dynamodb, dynamodbSdk, now, registry, typescript } from './env.mjs';
import { runToFile } from './ingest.mjs';

const REGION = 'us-east-1';

let helpers;
/**
 * plugins/dynamodb/src/testing/helpers.ts (createTable, keyedTable, putItems, TEST_KEYS...), the
 * helpers the plugin's tests use. The bench has no build step and the plugin build leaves them out,
 * so they are transpiled here and resolve their imports from the plugin's folder.
 */
export function dynamoHelpers() {
  if (helpers) return helpers;
  const file = path.join(ROOT, 'plugins/dynamodb/src/testing/helpers.ts');
  const ts = typescript();
  const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const module = { exports: {} };
  const fn = vm.compileFunction(outputText, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
  fn(module.exports, createRequire(file), module, file, path.dirname(file));
  helpers = module.exports;
  return helpers;
}

const bytes = (...b) => new Uint8Array(b);

/**
 * The i-th table's definition: key shapes cycling through hash-only and hash+range keys of S, N and
 * B, some with a GSI and an LSI, and the keys of its j-th item.
 */
function tableShape(i) {
  const h = dynamoHelpers();
  const n = String(i).padStart(4, '0');
  const shapes = [
    () => ({ def: h.keyedTable(`t${n}_s`, ['id', 'S']), key: (j) => ({ id: { S: `id-${j}` } }) }),
    () => ({ def: h.keyedTable(`t${n}_n`, ['id', 'N']), key: (j) => ({ id: { N: String(j) } }) }),
    () => ({ def: h.keyedTable(`t${n}_b`, ['id', 'B']), key: (j) => ({ id: { B: bytes(j, i & 255) } }) }),
    () => ({ def: h.keyedTable(`t${n}_sn`, ['pk', 'S'], ['sk', 'N']), key: (j) => ({ pk: { S: `p${j % 3}` }, sk: { N: String(j) } }) }),
    () => ({ def: h.keyedTable(`t${n}_ns`, ['pk', 'N'], ['sk', 'S']), key: (j) => ({ pk: { N: String(j % 4) }, sk: { S: `s-${j}` } }) }),
    () => ({ def: h.keyedTable(`t${n}_sb`, ['pk', 'S'], ['sk', 'B']), key: (j) => ({ pk: { S: `p${j % 2}` }, sk: { B: bytes(j) } }) }),
    () => {
      const base = h.keyedTable(`t${n}_gsi`, ['customer', 'S'], ['orderedAt', 'N']);
      return {
        def: {
          ...base,
          AttributeDefinitions: [...base.AttributeDefinitions, { AttributeName: 'status', AttributeType: 'S' }],
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byStatus',
              KeySchema: [
                { AttributeName: 'status', KeyType: 'HASH' },
                { AttributeName: 'orderedAt', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['amount'] },
            },
          ],
        },
        key: (j) => ({ customer: { S: `c${j % 5}` }, orderedAt: { N: String(1_700_000_000 + j) }, status: { S: j % 2 ? 'open' : 'done' } }),
      };
    },
    () => {
      const base = h.keyedTable(`t${n}_lsi`, ['tenant', 'S'], ['createdAt', 'S']);
      return {
        def: {
          ...base,
          AttributeDefinitions: [...base.AttributeDefinitions, { AttributeName: 'score', AttributeType: 'N' }],
          LocalSecondaryIndexes: [
            {
              IndexName: 'byScore',
              KeySchema: [
                { AttributeName: 'tenant', KeyType: 'HASH' },
                { AttributeName: 'score', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          ],
        },
        key: (j) => ({ tenant: { S: `tenant-${j % 3}` }, createdAt: { S: `2026-12-0${1 + (j % 9)}T00:00:${String(j).padStart(2, '0')}Z` }, score: { N: String(j * 7) } }),
      };
    },
  ];
  return shapes[i % shapes.length]();
}

/** The j-th item of table i: its keys plus attributes of every wire type, varying between items. */
function item(i, j, key) {
  const it = {
    ...key,
    name: { S: `item ${i}.${j}` },
    amount: { N: String((j * 13.5) % 1000) },
    active: { BOOL: j % 2 === 0 },
    tags: { SS: [`t${j % 3}`, `t${(j % 3) + 1}`] },
    address: { M: { city: { S: `city-${j % 4}` }, zip: { S: String(10000 + j) }, geo: { M: { lat: { N: '59.9' }, lon: { N: '10.7' } } } } },
    lines: { L: [{ M: { sku: { S: `A-${j}` }, qty: { N: String(1 + (j % 5)) } } }] },
  };
  if (j % 3 === 0) it.note = { NULL: true };
  if (j % 4 === 1) it.photo = { B: bytes(0xff, 0xd8, j & 255) };
  if (j % 5 === 2) it.scores = { NS: ['1', String(j + 0.5)] };
  // A conflicting type on some items.
  it.flex = j % 2 ? { N: String(j) } : { S: `v${j}` };
  return it;
}

/** Creates `count` tables of mixed key shapes with `itemsPerTable` items each (`concurrency` tables at once). */
export async function createTables(count, itemsPerTable, concurrency = 8) {
  const h = dynamoHelpers();
  const admin = h.adminClient();
  let next = 0;
  let items = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const { def, key } = tableShape(i);
      await h.createTable(admin, def);
      const list = Array.from({ length: itemsPerTable }, (_, j) => item(i, j, key(j)));
      await h.putItems(admin, def.TableName, list);
      items += list.length;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    admin.destroy();
  }
  return { tables: count, items };
}

function sourceConfig(endpoint) {
  const { TEST_KEYS } = dynamoHelpers();
  return {
    type: 'dynamodb',
    serviceName: 'bench_ddb',
    serviceConnection: { config: { type: 'DynamoDB', awsConfig: { ...TEST_KEYS, awsRegion: REGION, endPointURL: endpoint } } },
    sourceConfig: { config: { type: 'DatabaseMetadata' } },
  };
}

/** DynamoDB source → file sink (JSON Lines) through the Workflow. Returns wall ms and the tables written. */
export function ingestDynamo({ endpoint, out }) {
  const reg = registry();
  reg.addDescriptor(dynamodb().plugin, '@om/dynamodb', '0.1.0');
  return runToFile({ out, registry: reg, source: sourceConfig(endpoint) });
}

/** The source's sample Scan Limit (its default sampleSize: one Scan reads at most that many items). */
export const sampleLimit = () => dynamodb().DEFAULT_SAMPLE_SIZE;

/**
 * The least a DynamoDB client must do for the same catalog: ListTables pages, then per table one
 * DescribeTable and one Scan with the source's Limit, one table at a time as the source reads them.
 */
export async function sdkMinimum({ endpoint, limit = sampleLimit() }) {
  const { DynamoDBClient, ListTablesCommand, DescribeTableCommand, ScanCommand } = dynamodbSdk();
  const { TEST_KEYS } = dynamoHelpers();
  const client = new DynamoDBClient({
    region: REGION,
    endpoint,
    credentials: { accessKeyId: TEST_KEYS.awsAccessKeyId, secretAccessKey: TEST_KEYS.awsSecretAccessKey },
  });
  const t0 = now();
  let pages = 0;
  let tables = 0;
  let scans = 0;
  let items = 0;
  try {
    let start;
    do {
      const page = await client.send(new ListTablesCommand(start ? { ExclusiveStartTableName: start } : {}));
      pages++;
      for (const name of page.TableNames ?? []) {
        await client.send(new DescribeTableCommand({ TableName: name }));
        const scan = await client.send(new ScanCommand({ TableName: name, Limit: limit }));
        tables++;
        scans++;
        items += scan.Items?.length ?? 0;
      }
      start = page.LastEvaluatedTableName;
    } while (start);
  } finally {
    client.destroy();
  }
  return { ms: now() - t0, pages, tables, scans, items };
}
