/**
 * The `dbt` source. It reads the artifacts and, through the OpenMetadata REST client, the tables they
 * are about (they must already exist), and yields what to change as records: data models, table
 * patches, tags, lineage, test definitions, test cases and results (see planner.ts). The sink writes
 * them (`metadata-rest`), shows them (`file`, `console`) or plans them (`--dry-run`). What was
 * planned per model is in the source status (`status.snapshot().dbt`).
 */
import {
  assertConnectionChecks, ConfigError, runConnectionChecks, type ConnectionCheck, type Either, type OmRecord, type Source, type StepContext, type StepFactory,
} from '@om/core';
import { connectOpenMetadata, metadataRestConnectionChecks, type OpenMetadataClient } from '@om/openmetadata';
import { DbtPlanner } from './planner';
import { parseCatalog, type ParsedCatalog } from './artifacts/catalog';
import { ArtifactError, parseManifest } from './artifacts/manifest';
import { mergeRunResults, parseRunResults, type ParsedRunResults } from './artifacts/run-results';
import { parseSources, type ParsedSources } from './artifacts/sources';
import { parseDbtPipeline, type DbtPipelineConfig } from './config';
import { fetchArtifacts, type ArtifactSet } from './fetch';
import { artifactReachableCheck } from './fetch/reachable';
import { DbtStatus } from './status';

export class DbtSource implements Source {
  readonly status = new DbtStatus();
  private connected: OpenMetadataClient | undefined;

  /** Creating the source contacts nothing; `prepare()` connects to OpenMetadata (for reads). */
  constructor(
    readonly config: DbtPipelineConfig,
    private readonly context: StepContext,
    private readonly connect: () => Promise<OpenMetadataClient>,
  ) {
    this.status.redact = (t) => context.masker.redact(t);
  }

  async prepare(): Promise<void> {
    this.connected ??= await this.connect();
  }

  /** The OpenMetadata client the source reads through (after `prepare()`). */
  get client(): OpenMetadataClient {
    if (!this.connected) throw new Error('the dbt source was used before prepare() connected it');
    return this.connected;
  }

  /** The artifacts can be reached (the OpenMetadata server was checked when the source was prepared). */
  connectionChecks(): ConnectionCheck[] {
    return [artifactReachableCheck(this.config.dbtConfigSource, { step: this.context, timeoutMs: this.config.parsingTimeoutSeconds * 1000 })];
  }

  async testConnection(): Promise<void> {
    await this.client.checkAccess();
    assertConnectionChecks(await runConnectionChecks('source dbt', this.connectionChecks(), (t) => this.context.masker.redact(t)));
  }

  async *records(): AsyncIterable<Either<OmRecord>> {
    const { logger } = this.context;
    const planner = new DbtPlanner({
      client: this.client,
      serviceName: this.context.workflowConfig.source.serviceName,
      config: this.config,
      status: this.status,
      logger,
      masker: this.context.masker,
      signal: this.context.signal,
    });
    await planner.checkService();
    const fetched = await fetchArtifacts(this.config.dbtConfigSource, {
      step: this.context,
      timeoutMs: this.config.parsingTimeoutSeconds * 1000,
    });
    for (const w of fetched.warnings) this.warn(w.name, w.reason);
    for (const set of fetched.sets) {
      if (this.context.signal.aborted) return;
      yield* this.setRecords(set, planner);
    }
  }

  private warn(name: string, reason: string): void {
    this.status.warning(name, reason);
    this.context.logger.warn(this.context.masker.redact(`${name}: ${reason}`));
  }

  private async *setRecords(set: ArtifactSet, planner: DbtPlanner): AsyncGenerator<Either<OmRecord>> {
    const manifest = parseManifest(set.manifest.text, set.manifest.where);
    for (const w of manifest.warnings) this.warn(set.manifest.where, w);
    let catalog: ParsedCatalog | undefined;
    if (set.catalog) {
      try {
        catalog = parseCatalog(set.catalog.text, set.catalog.where);
      } catch (err) {
        if (!(err instanceof ArtifactError)) throw err;
        this.warn(set.catalog.where, `${err.message}; columns come from the manifest`);
      }
    }
    const parsedResults: ParsedRunResults[] = [];
    for (const r of set.runResults) {
      try {
        parsedResults.push(parseRunResults(r.text, r.where));
      } catch (err) {
        if (!(err instanceof ArtifactError)) throw err;
        this.warn(r.where, `${err.message}; test results from it are left out`);
      }
    }
    const runResults = parsedResults.length ? mergeRunResults(parsedResults) : undefined;
    let sources: ParsedSources | undefined;
    if (set.sources) {
      try {
        sources = parseSources(set.sources.text, set.sources.where);
      } catch (err) {
        if (!(err instanceof ArtifactError)) throw err;
        this.warn(set.sources.where, `${err.message}; freshness results from it are left out`);
      }
    }
    this.status.details.artifactSets.push({
      label: this.context.masker.redact(set.label),
      ...(manifest.schemaVersion !== undefined ? { manifestVersion: manifest.schemaVersion } : {}),
      ...(manifest.dbtVersion ? { dbtVersion: manifest.dbtVersion } : {}),
      catalog: catalog !== undefined,
      runResults: parsedResults.length,
    });
    this.context.logger.info(
      `dbt artifacts ${set.label}: manifest v${manifest.schemaVersion ?? '?'} (dbt ${manifest.dbtVersion ?? '?'}), ${manifest.nodes.size} table node(s), ${manifest.tests.length} test(s)` +
        `${catalog ? ', catalog' : ', no catalog'}${runResults ? `, ${runResults.results.size} run result(s)` : ''}${sources ? `, ${sources.results.size} freshness result(s)` : ''}`,
    );
    yield* planner.records(manifest, catalog, runResults, sources);
  }

  async close(): Promise<void> {
    this.connected?.close();
  }
}

export const dbtSourceFactory: StepFactory<DbtSource> = {
  /** The artifacts, then the server, each call reported on its own. */
  async connectionChecks(context) {
    const config = parseDbtPipeline(context.workflowConfig.source.sourceConfig.config);
    const server = context.workflowConfig.workflowConfig?.openMetadataServerConfig ? await metadataRestConnectionChecks(context) : [];
    return [artifactReachableCheck(config.dbtConfigSource, { step: context, timeoutMs: config.parsingTimeoutSeconds * 1000 }), ...server];
  },
  /** Checks the config and builds the source; nothing is contacted until the workflow calls `prepare()`. */
  create(context) {
    const serverConfig = context.workflowConfig.workflowConfig?.openMetadataServerConfig;
    if (!serverConfig) {
      throw ConfigError.single(
        'workflowConfig.openMetadataServerConfig',
        'is required when source.type is "dbt" (the dbt source updates tables that already exist in OpenMetadata)',
        'add workflowConfig.openMetadataServerConfig: {hostPort: "http://localhost:8585/api", authProvider: openmetadata, securityConfig: {jwtToken: "${OM_JWT}"}}',
      );
    }
    const config = parseDbtPipeline(context.workflowConfig.source.sourceConfig.config);
    return new DbtSource(config, context, () => connectOpenMetadata(context, serverConfig));
  },
};
