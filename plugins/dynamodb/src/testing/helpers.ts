/** Test helpers: talk to the dynalite server started by tests/setup, and a fault-injecting proxy. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type AttributeValue,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { Either, OmRecord } from '@om/core';

export const TEST_KEYS = { awsAccessKeyId: 'AKIDTESTONLY', awsSecretAccessKey: 'test-secret-never-printed' };

export function dynamoEndpoint(): string {
  const endpoint = process.env.OM_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('OM_TEST_DYNAMODB_ENDPOINT is not set: run with OM_TEST_SERVERS=dynalite (or unset) so tests/setup starts dynalite');
  return endpoint;
}

export function adminClient(): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    endpoint: dynamoEndpoint(),
    credentials: { accessKeyId: TEST_KEYS.awsAccessKeyId, secretAccessKey: TEST_KEYS.awsSecretAccessKey },
  });
}

/** A prefix unique to one test file, so files sharing the server never see each other's tables. */
export function uniquePrefix(label: string): string {
  return `${label}_${randomBytes(3).toString('hex')}_`;
}

export async function createTable(client: DynamoDBClient, input: Partial<CreateTableCommandInput> & { TableName: string }): Promise<void> {
  await client.send(new CreateTableCommand({ BillingMode: 'PAY_PER_REQUEST', ...input } as CreateTableCommandInput));
  // Even with --createTableMs 0, dynalite turns a table ACTIVE on the next tick.
  for (let i = 0; i < 500; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`table ${input.TableName} did not become ACTIVE`);
}

/** A composite-key (or hash-only when `range` is omitted) table. */
export function keyedTable(
  TableName: string,
  hash: [string, 'S' | 'N' | 'B'],
  range?: [string, 'S' | 'N' | 'B'],
): CreateTableCommandInput & { TableName: string } {
  return {
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: hash[0], KeyType: 'HASH' }, ...(range ? [{ AttributeName: range[0], KeyType: 'RANGE' as const }] : [])],
    AttributeDefinitions: [
      { AttributeName: hash[0], AttributeType: hash[1] },
      ...(range ? [{ AttributeName: range[0], AttributeType: range[1] }] : []),
    ],
  };
}

export async function putItems(client: DynamoDBClient, table: string, items: Record<string, AttributeValue>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending: Record<string, { PutRequest: { Item: Record<string, AttributeValue> } }[]> | undefined = {
      [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    while (pending && Object.keys(pending).length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: pending }));
      pending = out.UnprocessedItems as typeof pending;
    }
  }
}

export async function collect(source: { records(): AsyncIterable<Either<OmRecord>> }): Promise<Either<OmRecord>[]> {
  const out: Either<OmRecord>[] = [];
  for await (const r of source.records()) out.push(r);
  return out;
}

/**
 * An HTTP proxy in front of the DynamoDB server that answers some operations with a real
 * AccessDeniedException response (as IAM would), and forwards everything else.
 */
export class DenyProxy {
  private server: http.Server | undefined;
  endpoint = '';
  /** `Operation` or `Operation:TableName` entries to deny. */
  readonly deny = new Set<string>();
  /** Deny after this many successful calls of the operation (for part-way failures). */
  readonly denyAfter = new Map<string, number>();
  private readonly seen = new Map<string, number>();

  constructor(private readonly target: string) {}

  async start(): Promise<void> {
    const target = new URL(this.target);
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const op = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
        let table = '';
        try {
          table = String((JSON.parse(body.toString('utf8')) as { TableName?: string }).TableName ?? '');
        } catch {
          table = '';
        }
        const n = (this.seen.get(op) ?? 0) + 1;
        this.seen.set(op, n);
        const after = this.denyAfter.get(op);
        if (this.deny.has(op) || (table && this.deny.has(`${op}:${table}`)) || (after !== undefined && n > after)) {
          const message = `User: arn:aws:iam::123456789012:user/reader is not authorized to perform: dynamodb:${op} on resource: ${table || '*'}`;
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'deny-proxy' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', message }));
          return;
        }
        const upstream = http.request(
          { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
          (up) => {
            res.writeHead(up.statusCode ?? 500, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', (err) => {
          res.writeHead(502);
          res.end(String(err));
        });
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}
