/**
 * dbt `sources.json` (`dbt source freshness`): one result per source table. Each becomes a test
 * case result on the source's table as OpenMetadata's dbt source builds it (dbt/metadata.py,
 * `_build_freshness_test_case_result`): the status mapped like a test's (`pass` → Success, `error` →
 * Failed, `warn` / `runtime error` → Aborted), the value `1`/`0` named by the source's unique id, the
 * time of the `execute` timing (else the file's `generated_at`), and for a result that is not a
 * success the detail of how old the data is against the configured thresholds (or the error).
 */
import type { TestCaseResult } from '@om/core';
import { ArtifactError, artifactJson } from './manifest';
import { epoch, testCaseStatusOf } from './run-results';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface FreshnessThreshold {
  count: number;
  period: string;
}

export interface FreshnessResult {
  uniqueId: string;
  status: string;
  result: TestCaseResult;
  /** The criteria the source was checked against (the test case's parameter values). */
  warnAfter?: FreshnessThreshold;
  errorAfter?: FreshnessThreshold;
}

export interface ParsedSources {
  results: Map<string, FreshnessResult>;
  generatedAt?: string;
}

function threshold(v: unknown): FreshnessThreshold | undefined {
  if (!isObj(v) || typeof v.count !== 'number' || typeof v.period !== 'string') return undefined;
  return { count: v.count, period: v.period };
}

/** What OpenMetadata writes as the result text of a freshness check that did not pass. */
function details(r: Obj, warnAfter?: FreshnessThreshold, errorAfter?: FreshnessThreshold): string | undefined {
  if (typeof r.error === 'string' && r.error !== '') return r.error;
  const out: string[] = [];
  if (typeof r.max_loaded_at_time_ago_in_s === 'number') out.push(`Data is ${(r.max_loaded_at_time_ago_in_s / 3600).toFixed(1)} hours old`);
  if (typeof r.max_loaded_at === 'string' && r.max_loaded_at !== '') out.push(`max_loaded_at=${r.max_loaded_at}`);
  if (warnAfter) out.push(`warn_after=${warnAfter.count} ${warnAfter.period}`);
  if (errorAfter) out.push(`error_after=${errorAfter.count} ${errorAfter.period}`);
  return out.length > 0 ? out.join('; ') : undefined;
}

export function parseSources(input: string | unknown, where: string): ParsedSources {
  const doc = artifactJson(input, where, 'sources.json');
  if (!isObj(doc) || !Array.isArray(doc.results)) throw new ArtifactError(`${where} has no "results" list: is it a dbt sources.json (dbt source freshness)?`);
  const generatedAt = isObj(doc.metadata) && typeof doc.metadata.generated_at === 'string' ? doc.metadata.generated_at : undefined;
  const results = new Map<string, FreshnessResult>();
  for (const r of doc.results) {
    if (!isObj(r) || typeof r.unique_id !== 'string' || typeof r.status !== 'string') continue;
    const execute = Array.isArray(r.timing) ? r.timing.filter(isObj).find((t) => t.name === 'execute') : undefined;
    const timestamp = epoch(execute?.completed_at) ?? epoch(generatedAt);
    if (timestamp === undefined) continue; // OpenMetadata skips a result without a time too
    const criteria = isObj(r.criteria) ? r.criteria : {};
    const warnAfter = threshold(criteria.warn_after);
    const errorAfter = threshold(criteria.error_after);
    const testCaseStatus = testCaseStatusOf(r.status);
    const result: TestCaseResult = {
      timestamp,
      testCaseStatus,
      testResultValue: [{ name: r.unique_id, value: testCaseStatus === 'Success' ? '1' : '0' }],
    };
    const text = testCaseStatus === 'Success' ? undefined : details(r, warnAfter, errorAfter);
    if (text) result.result = text;
    results.set(r.unique_id, { uniqueId: r.unique_id, status: r.status, result, ...(warnAfter ? { warnAfter } : {}), ...(errorAfter ? { errorAfter } : {}) });
  }
  return { results, ...(generatedAt ? { generatedAt } : {}) };
}

/** The test case parameter values of a freshness check (OpenMetadata: `dbt_utils.create_test_case_parameter_values`). */
export function freshnessParameters(r: FreshnessResult): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  if (r.errorAfter) out.push({ name: 'error_after', value: `${r.errorAfter.count} ${r.errorAfter.period}` });
  if (r.warnAfter) out.push({ name: 'warn_after', value: `${r.warnAfter.count} ${r.warnAfter.period}` });
  return out;
}
