import type { TableDataRequest } from '@om/core';
import type { SampleCollector } from './collector';

/**
 * Reads rows from the start of the table only until the sample is full, then stops the read. For
 * passes that do not read every sampled column row by row (worker threads, Parquet footer statistics,
 * column chunks without some sampled column), and for the AutoClassification workflow, which profiles
 * nothing.
 */
export async function readSampleHead(table: TableDataRequest, sample: SampleCollector, signal?: AbortSignal): Promise<void> {
  if (sample.full) return;
  if (table.batches) {
    for await (const batch of table.batches(signal)) {
      sample.addBatch(batch);
      if (sample.full) break;
    }
    return;
  }
  for await (const row of table.rows(signal)) {
    sample.addRow(row);
    if (sample.full) break;
  }
}
