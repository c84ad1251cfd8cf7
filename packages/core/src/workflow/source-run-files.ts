/**
 * Run files for the commands around a run (plan, finalize, a shard's plan): local paths directly; a
 * URL in the source's store through the config's source, built and connected once, on first use.
 */
import { locationScheme, localRunFiles, runFilesFor, type RunFileStore } from '../run-files';
import type { Source } from '../steps';
import type { WorkflowOptions } from './options';
import { prepareRun, type PreparedRun } from './run-setup';

export class SourceRunFiles {
  private opened: Promise<{ run: PreparedRun; source: Source }> | undefined;

  constructor(
    private readonly config: Record<string, unknown> | string,
    private readonly options: WorkflowOptions,
  ) {}

  /** The store of `location`; `option` names the flag in errors. */
  async for(location: string, option: string): Promise<RunFileStore> {
    if (!locationScheme(location)) return localRunFiles;
    this.opened ??= (async () => {
      const run = await prepareRun(this.config, { ...this.options, state: undefined });
      const source = await run.build<Source>('source', run.validated.config.source as unknown as Record<string, unknown>);
      await source.prepare?.();
      return { run, source };
    })();
    return runFilesFor(location, (await this.opened).source, option);
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    const { run, source } = await this.opened.catch(() => ({ run: undefined, source: undefined }));
    await source?.close().catch(() => undefined);
    run?.abort.abort();
    run?.runContainer.clearInstances();
  }
}
