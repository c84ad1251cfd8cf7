// Scenario 8: the DynamoDB source over many tables on dynalite vs the bare SDK minimum.
import * as path from 'node:path';
import { DATA, median, round } from '../lib/env.mjs';
import { createTables, ingestDynamo, sampleLimit, sdkMinimum } from '../lib/dynamodb.mjs';
import { startCountingProxy, startDynalite } from '../lib/servers.mjs';

const GOAL = 1.3;

export async function dynamodbIngest(ctx) {
  const count = ctx.quick ? 40 : 500;
  const itemsPerTable = 20;
  const rounds = ctx.quick ? 3 : 5;
  const server = await startDynalite();
  try {
    const { endpoint } = server;
    const t0 = Date.now();
    const created = await createTables(count, itemsPerTable);
    ctx.log(`  dynalite on ${endpoint}: created ${count} tables (${created.items} items) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const out = path.join(DATA, 'tmp', 'dynamodb-ingest.jsonl');
    const ours = [];
    const base = [];
    let last;
    let lastBase;
    // Warm-up pass of each (JIT, sockets, dynalite's caches), not counted.
    await sdkMinimum({ endpoint });
    await ingestDynamo({ endpoint, out });
    for (let r = 0; r < rounds; r++) {
      lastBase = await sdkMinimum({ endpoint });
      base.push(lastBase.ms);
      last = await ingestDynamo({ endpoint, out });
      ours.push(last.ms);
      if (last.tables !== count || last.errors > 0) {
        throw new Error(`dynamodb ingest wrote ${last.tables} tables of ${count} (errors ${last.errors}: ${JSON.stringify(last.failureSamples)}; ${last.logs.join(' | ')})`);
      }
    }
    if (lastBase.tables !== count || lastBase.items !== count * itemsPerTable) {
      throw new Error(`SDK minimum read ${lastBase.tables} tables and ${lastBase.items} items, expected ${count} and ${count * itemsPerTable}`);
    }
    const ratio = median(ours) / median(base);
    // One more pass of each through the counting proxy (not timed): the requests each side sends.
    const proxy = await startCountingProxy(Number(new URL(endpoint).port));
    const requests = {};
    try {
      await sdkMinimum({ endpoint: proxy.endpoint });
      requests.sdkMinimum = proxy.counters.requests;
      proxy.reset();
      await ingestDynamo({ endpoint: proxy.endpoint, out });
      requests.dynamodb = proxy.counters.requests;
    } finally {
      await proxy.close();
    }
    const perTable = (ms) => round(ms / count, 2);
    return {
      id: 'dynamodb',
      title: `DynamoDB: ${count.toLocaleString('en-US')} tables (mixed key shapes, ${itemsPerTable} items each) on dynalite vs the bare SDK minimum`,
      goal: `≤ ${GOAL}× the SDK minimum`,
      figures: {
        tables: count,
        itemsPerTable,
        rounds,
        concurrency: 1,
        scanLimit: sampleLimit(),
        dynamodbMs: ours.map((x) => round(x, 0)),
        sdkMinimumMs: base.map((x) => round(x, 0)),
        msPerTable: { dynamodb: perTable(median(ours)), sdkMinimum: perTable(median(base)) },
        sdkMinimum: { listPages: lastBase.pages, describeTable: lastBase.tables, scans: lastBase.scans, items: lastBase.items },
        requests,
        tablesWritten: last.tables,
        errors: last.errors,
        warnings: last.warnings,
      },
      ratio: { label: 'dynamodb / SDK minimum (wall time, median)', value: ratio },
      headline: `dynamodb ${round(median(ours) / 1000, 2)} s vs SDK minimum ${round(median(base) / 1000, 2)} s (${lastBase.pages} ListTables pages + ${lastBase.tables} DescribeTable + ${lastBase.scans} Scans of Limit ${sampleLimit()}, one table at a time); ${perTable(median(ours))} vs ${perTable(median(base))} ms per table; requests: source ${requests.dynamodb}, SDK minimum ${requests.sdkMinimum}`,
      met: ratio <= GOAL,
      miss: ratio > GOAL ? `${round(ratio, 2)}× the SDK minimum, goal ${GOAL}× (${Math.round((ratio / GOAL - 1) * 100)} % over)` : undefined,
    };
  } finally {
    await server.stop();
  }
}
