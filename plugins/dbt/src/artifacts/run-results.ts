/**
 * dbt `run_results.json`: the outcome of each executed node. Only test nodes matter here; their
 * status becomes an OpenMetadata test case status (`success`/`pass` → Success, `fail`/`failure`/`error`
 * → Failed, anything else such as `skipped` or `warn` → Aborted).
 */
import type { TestCaseStatus } from '@om/core';
import { ArtifactError, artifactJson } from './manifest';

export interface NodeResult {
  uniqueId: string;
  status: string;
  testCaseStatus: TestCaseStatus;
  /** Epoch ms: the last `timing[].completed_at`, else the file's `generated_at`. */
  timestamp: number;
  message?: string;
  failures?: number;
  executionTime?: number;
}

export interface ParsedRunResults {
  results: Map<string, NodeResult>;
  generatedAt?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function testCaseStatusOf(status: string): TestCaseStatus {
  switch (status.toLowerCase()) {
    case 'success':
    case 'pass':
      return 'Success';
    case 'fail':
    case 'failure':
    case 'error':
      return 'Failed';
    default:
      return 'Aborted';
  }
}

/** Epoch ms of a dbt timestamp (ISO, with or without a zone: dbt writes UTC). */
export function epoch(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

export function parseRunResults(input: string | unknown, where: string, fallbackTimestamp = Date.now()): ParsedRunResults {
  const doc = artifactJson(input, where, 'run_results.json');
  if (!isObj(doc) || !Array.isArray(doc.results)) {
    throw new ArtifactError(`${where} has no "results" list: is it a dbt run_results.json?`);
  }
  const metadata = isObj(doc.metadata) ? doc.metadata : {};
  const generatedAt = typeof metadata.generated_at === 'string' ? metadata.generated_at : undefined;
  const fileTime = epoch(generatedAt) ?? fallbackTimestamp;
  const results = new Map<string, NodeResult>();
  for (const r of doc.results) {
    if (!isObj(r) || typeof r.unique_id !== 'string') continue;
    const status = typeof r.status === 'string' ? r.status : String(r.status ?? 'unknown');
    const timing = Array.isArray(r.timing) ? r.timing.filter(isObj) : [];
    const completed = timing.map((t) => epoch(t.completed_at)).filter((t): t is number => t !== undefined);
    results.set(r.unique_id, {
      uniqueId: r.unique_id,
      status,
      testCaseStatus: testCaseStatusOf(status),
      timestamp: completed.length ? Math.max(...completed) : fileTime,
      ...(typeof r.message === 'string' && r.message ? { message: r.message } : {}),
      ...(typeof r.failures === 'number' ? { failures: r.failures } : {}),
      ...(typeof r.execution_time === 'number' ? { executionTime: r.execution_time } : {}),
    });
  }
  return { results, ...(generatedAt ? { generatedAt } : {}) };
}

/** Several run_results files (a bucket may hold run_results*.json): the newest result per node wins. */
export function mergeRunResults(all: ParsedRunResults[]): ParsedRunResults {
  const results = new Map<string, NodeResult>();
  for (const r of all) {
    for (const [id, res] of r.results) {
      const prev = results.get(id);
      if (!prev || res.timestamp >= prev.timestamp) results.set(id, res);
    }
  }
  return { results };
}
