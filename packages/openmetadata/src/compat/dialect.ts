/**
 * Speaks the server's version of the API: every request body the sink builds passes through here and
 * leaves holding only what that version accepts (server-versions.ts says what that is). A value the
 * table does not know to be refused, but that the server refuses anyway (a 400 naming it), is learnt
 * from the answer and falls back for the rest of the run.
 */
import type { Logger } from '@om/core';
import {
  atLeast, DATA_TYPE_SUPPORT, FEATURE_SINCE, FILE_FORMAT_SUPPORT, TABLE_TYPE_SUPPORT, type Feature, type ValueSupport,
} from './server-versions';

type Body = Record<string, unknown>;

/** The enum families with fallbacks, by the field that carries them. */
const FAMILIES: Record<string, Record<string, ValueSupport>> = {
  fileFormat: FILE_FORMAT_SUPPORT,
  dataType: DATA_TYPE_SUPPORT,
  tableType: TABLE_TYPE_SUPPORT,
};
type Family = keyof typeof FAMILIES;

/** Fields that may be left out of a request when a server refuses them (it names them in a 400). */
const OPTIONAL_FIELDS = new Set(['locationPath', 'sourceUrl', 'lifeCycle', 'retentionPeriod', 'sourceHash']);

export class ServerDialect {
  /** Values and fields the server refused during this run, beyond what the table knew. */
  private readonly refusedValues = new Set<string>();
  private readonly refusedFields = new Set<string>();

  constructor(
    /** Undefined when the version check is off: the newest API is spoken and refusals are learnt. */
    readonly version: string | undefined,
    private readonly logger: Logger,
  ) {}

  supports(feature: Feature): boolean {
    return atLeast(this.version, FEATURE_SINCE[feature]);
  }

  /**
   * `value` as this server accepts it for `family`: itself, its fallback, or undefined (leave it out).
   * `fqn` (the table's or a parent column's) and `column` say where, for the DEBUG line of a fallback.
   */
  private value(family: Family, value: string, fqn: string, column?: unknown): string | undefined {
    const support = FAMILIES[family][value];
    // Only values of the table can be refused (see `learn`): the usual value returns here.
    if (!support) return value;
    if (!this.refusedValues.has(`${family}:${value}`) && atLeast(this.version, support.since)) return value;
    const fallback = support.fallback;
    this.logger.debug(
      `OpenMetadata ${this.version ?? '(version unknown)'} does not accept ${family} "${value}"; ` +
        `${fallback ? `sending "${fallback}"` : 'leaving it out'} for ${column === undefined ? fqn : `${fqn}.${String(column)}`}`,
    );
    return fallback;
  }

  /** A create-table request for this server. */
  table(body: Body, fqn: string): Body {
    const out: Body = { ...body };
    if (typeof out.fileFormat === 'string') setOrDelete(out, 'fileFormat', this.value('fileFormat', out.fileFormat, fqn));
    if (typeof out.tableType === 'string') setOrDelete(out, 'tableType', this.value('tableType', out.tableType, fqn));
    if (Array.isArray(out.columns)) out.columns = this.columns(out.columns as Body[], fqn);
    if (out.tablePartition && !this.supports('partitionColumnDetails')) out.tablePartition = partitionAsColumnNames(out.tablePartition as Body);
    if (out.locationPath !== undefined && !this.supports('locationPath')) delete out.locationPath;
    return this.withoutRefusedFields(out);
  }

  /** A database, schema or service create request for this server. */
  entity(body: Body): Body {
    return this.withoutRefusedFields({ ...body });
  }

  /** The columns for this server: a column is copied only when something in it changes (most never do). */
  private columns(columns: Body[], fqn: string): Body[] {
    let out: Body[] | undefined;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i];
      const adapted = this.column(c, fqn);
      if (adapted !== c) (out ??= columns.slice())[i] = adapted;
    }
    return out ?? columns;
  }

  private column(c: Body, fqn: string): Body {
    const dataType = typeof c.dataType === 'string' ? this.columnType(c.dataType, c, fqn) : c.dataType;
    const arrayDataType = typeof c.arrayDataType === 'string' ? this.columnType(c.arrayDataType, c, fqn) : c.arrayDataType;
    const children = Array.isArray(c.children) ? this.columns(c.children as Body[], `${fqn}.${String(c.name)}`) : c.children;
    if (dataType === c.dataType && arrayDataType === c.arrayDataType && children === c.children) return c;
    const out: Body = { ...c };
    if (typeof c.dataType === 'string') out.dataType = dataType;
    if (typeof c.arrayDataType === 'string') out.arrayDataType = arrayDataType;
    if (Array.isArray(c.children)) out.children = children;
    return out;
  }

  private columnType(type: string, c: Body, fqn: string): string {
    const v = this.value('dataType', type, fqn, c.name);
    return v === 'BIGINT' && type === 'UINT' ? signedTypeFor(String(c.dataTypeDisplay ?? '')) : (v ?? 'UNKNOWN');
  }

  /**
   * A test case result for this server: before incidents (1.3) a failed result carries
   * `testCaseFailureStatus: New`, as OpenMetadata's 1.2 runner sends it; passed/failed row counts exist
   * from 1.3 on.
   */
  testCaseResult(result: Body): Body {
    const out: Body = { ...result };
    if (this.supports('incidents')) return out;
    for (const k of ['passedRows', 'failedRows', 'passedRowsPercentage', 'failedRowsPercentage', 'minBound', 'maxBound']) delete out[k];
    if (out.testCaseStatus === 'Failed') {
      out.testCaseFailureStatus = { testCaseFailureStatusType: 'New', updatedAt: out.timestamp };
    }
    return out;
  }

  /** A create-test-case request for this server (`computePassedFailedRowCount` exists from 1.3 on). */
  testCase(body: Body): Body {
    const out: Body = { ...body };
    if (!this.supports('incidents')) delete out.computePassedFailedRowCount;
    return out;
  }

  /**
   * Learns from a 400 that names a refused enum value (`from String "jsonl"`) or an unknown field
   * (`Unrecognized field "locationPath"`). True when a retry can send something different.
   */
  learn(message: string): boolean {
    const value = /from String "([^"]*)"/.exec(message)?.[1];
    if (value !== undefined) {
      for (const [family, table] of Object.entries(FAMILIES)) {
        const key = `${family}:${value}`;
        if (table[value] && !this.refusedValues.has(key)) {
          this.refusedValues.add(key);
          this.logger.debug(`OpenMetadata refused ${family} "${value}"; falling back for the rest of the run`);
          return true;
        }
      }
      return false;
    }
    const field = /Unrecognized field "([^"]+)"/.exec(message)?.[1];
    if (field && OPTIONAL_FIELDS.has(field) && !this.refusedFields.has(field)) {
      this.refusedFields.add(field);
      this.logger.debug(`OpenMetadata refused the field "${field}"; leaving it out for the rest of the run`);
      return true;
    }
    return false;
  }

  private withoutRefusedFields(body: Body): Body {
    for (const f of this.refusedFields) delete body[f];
    return body;
  }
}

function setOrDelete(body: Body, key: string, value: string | undefined): void {
  if (value === undefined) delete body[key];
  else body[key] = value;
}

/** The narrowest signed type that holds every value of an unsigned integer of the width in its display (`uint32`). */
export function signedTypeFor(display: string): string {
  const bits = Number(/(\d+)/.exec(display)?.[1] ?? 64);
  if (bits <= 8) return 'SMALLINT';
  if (bits <= 16) return 'INT';
  if (bits <= 32) return 'BIGINT';
  return 'NUMERIC';
}

/** 1.2's partition shape: the column names and one interval type for all of them. */
function partitionAsColumnNames(partition: Body): Body {
  const columns = Array.isArray(partition.columns) ? (partition.columns as Body[]) : [];
  const out: Body = { columns: columns.map((c) => (typeof c === 'string' ? c : String(c.columnName))) };
  const types = new Set(columns.map((c) => (typeof c === 'string' ? undefined : c.intervalType)).filter((t) => t !== undefined));
  const [only] = [...types];
  if (types.size === 1 && ['TIME-UNIT', 'INTEGER-RANGE', 'INGESTION-TIME', 'COLUMN-VALUE', 'OTHER'].includes(String(only))) out.intervalType = only;
  return out;
}
