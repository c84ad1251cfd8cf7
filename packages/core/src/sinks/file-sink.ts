import * as fs from 'node:fs';
import * as path from 'node:path';
import { failureFrom, left, right, type Either } from '../either';
import type { OmRecord } from '../model/records';
import type { JsonSchema } from '../plugin/descriptor';
import { StepStatus } from '../status';
import type { Sink, SinkResult, StepContext, StepFactory } from '../steps';

export const fileSinkSchema: JsonSchema = {
  type: 'object',
  required: ['filename'],
  additionalProperties: false,
  properties: {
    filename: { type: 'string', minLength: 1, description: "output file, relative to the config file's folder; parent folders are created" },
    format: {
      type: 'string',
      enum: ['json', 'jsonl'],
      description: 'json: one JSON array as OpenMetadata writes it; jsonl: one record per line',
    },
  },
};

export interface FileSinkConfig {
  filename: string;
  format?: 'json' | 'jsonl';
}

/** What the file holds for a record: the create request body, as OpenMetadata's file sink writes it. */
export function recordBody(record: OmRecord): unknown {
  if ('entity' in record && !record.kind.startsWith('x-')) return record.entity;
  if (record.kind === 'profileRequest' || record.kind === 'testSuiteRequest') {
    // The row reader is code, not data: keep the table's identity.
    const { rows: _rows, ...table } = record.table;
    return { kind: record.kind, table };
  }
  return record;
}

/** Writes records to a file as a JSON array (OpenMetadata's format) or JSON Lines, streaming. */
export class FileSink implements Sink {
  readonly status = new StepStatus('Sink file');
  private stream: fs.WriteStream | undefined;
  private count = 0;
  private closed = false;

  constructor(
    private readonly config: FileSinkConfig,
    private readonly context: StepContext,
  ) {
    this.status.redact = (t) => context.masker.redact(t);
  }

  /** Relative to the config file's folder, like every path in a config. */
  private get file(): string {
    return path.resolve(this.context.configDir, this.config.filename);
  }

  private open(): fs.WriteStream {
    if (!this.stream) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.stream = fs.createWriteStream(this.file, { encoding: 'utf8' });
      if (this.format === 'json') this.stream.write('[');
    }
    return this.stream;
  }

  private get format(): 'json' | 'jsonl' {
    return this.config.format ?? 'json';
  }

  async write(record: OmRecord): Promise<Either<SinkResult>> {
    // An unchanged table (incremental run) has nothing to write.
    if (record.kind === 'schemaDone' || record.kind === 'tableUnchanged') return right({});
    try {
      const body = this.context.masker.redactObject(recordBody(record));
      const json = JSON.stringify(body);
      const text = this.format === 'json' ? `${this.count === 0 ? '\n' : ',\n'}${json}` : `${json}\n`;
      this.count++;
      const stream = this.open();
      if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
      return right({});
    } catch (err) {
      const failure = failureFrom(this.config.filename, err, 'cannot write to the output file');
      return left(failure.name, failure.error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stream = this.open();
    if (this.format === 'json') stream.write(this.count === 0 ? ']\n' : '\n]\n');
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
  }
}

export const fileSinkFactory: StepFactory<FileSink> = {
  create: (context) => new FileSink((context.stepConfig.config ?? {}) as unknown as FileSinkConfig, context),
};
