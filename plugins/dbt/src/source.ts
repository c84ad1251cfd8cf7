/**
 * The `dbt` source. It applies the artifacts directly through the OpenMetadata REST client (the
 * tables must already exist, so there is nothing to hand to a sink) and yields no records: the
 * workflow's sink (`metadata-rest`, `console`…) receives nothing. Everything done is in the source
 * status (`status.snapshot().dbt`): per-model outcome, counts of data models, descriptions, tags,
 * owners, lineage edges, test definitions, cases and results.
 */
import {
  assertConnectionChecks, ConfigError, runConnectionChecks, type ConnectionCheck, type Either, type OmRecord, type Source, type StepContext, type StepFactory,
} from '@om/core';
import { createAuthProvider, metadataRestConnectionChecks, OpenMetadataClient } from '@om/openmetadata';
import { DbtApplier } from './apply';
import { planningClient } from './dry-run-client';
import { parseCatalog, type ParsedCatalog } from './artifacts/catalog';
import { ArtifactError, parseManifest } from './artifacts/manifest';
import { mergeRunResults, parseRunResults, type ParsedRunResults } from './artifacts/run-results';
import { parseDbtPipeline, type DbtPipelineConfig } from './config';
import { fetchArtifacts, type ArtifactSet } from './fetch';
import { artifactReachableCheck } from './fetch/reachable';
import { DbtStatus } from './status';

export class DbtSource implements Source {
  readonly status = new DbtStatus();

  constructor(
    readonly client: OpenMetadataClient,
    readonly config: DbtPipelineConfig,
    private readonly context: StepContext,
  ) {
    this.status.redact = (t) => context.masker.redact(t);
  }

  /** The artifacts can be reached (the OpenMetadata server was checked when the source was created). */
  connectionChecks(): ConnectionCheck[] {
    return [artifactReachableCheck(this.config.dbtConfigSource, { step: this.context, timeoutMs: this.config.parsingTimeoutSeconds * 1000 })];
  }

  async testConnection(): Promise<void> {
    await this.client.checkAccess();
    assertConnectionChecks(await runConnectionChecks('source dbt', this.connectionChecks(), (t) => this.context.masker.redact(t)));
  }

  // eslint-disable-next-line require-yield
  async *records(): AsyncIterable<Either<OmRecord>> {
    const { logger } = this.context;
    // A dry run reads the server and the artifacts, and lists every write instead of sending it.
    const client = this.context.dryRun
      ? planningClient(this.client, (line) => this.context.stdout.write(`${this.context.masker.redact(`[dry run] ${line}`)}\n`))
      : this.client;
    const applier = new DbtApplier({
      client,
      serviceName: this.context.workflowConfig.source.serviceName,
      config: this.config,
      status: this.status,
      logger,
      masker: this.context.masker,
      signal: this.context.signal,
    });
    await applier.checkService();
    const fetched = await fetchArtifacts(this.config.dbtConfigSource, {
      step: this.context,
      timeoutMs: this.config.parsingTimeoutSeconds * 1000,
    });
    for (const w of fetched.warnings) this.warn(w.name, w.reason);
    for (const set of fetched.sets) {
      if (this.context.signal.aborted) return;
      await this.applySet(set, applier);
    }
  }

  private warn(name: string, reason: string): void {
    this.status.warning(name, reason);
    this.context.logger.warn(this.context.masker.redact(`${name}: ${reason}`));
  }

  private async applySet(set: ArtifactSet, applier: DbtApplier): Promise<void> {
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
    this.status.details.artifactSets.push({
      label: this.context.masker.redact(set.label),
      ...(manifest.schemaVersion !== undefined ? { manifestVersion: manifest.schemaVersion } : {}),
      ...(manifest.dbtVersion ? { dbtVersion: manifest.dbtVersion } : {}),
      catalog: catalog !== undefined,
      runResults: parsedResults.length,
    });
    this.context.logger.info(
      `dbt artifacts ${set.label}: manifest v${manifest.schemaVersion ?? '?'} (dbt ${manifest.dbtVersion ?? '?'}), ${manifest.nodes.size} table node(s), ${manifest.tests.length} test(s)` +
        `${catalog ? ', catalog' : ', no catalog'}${runResults ? `, ${runResults.results.size} run result(s)` : ''}`,
    );
    await applier.apply(manifest, catalog, runResults);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

export const dbtSourceFactory: StepFactory<DbtSource> = {
  /** Without creating the source (which connects to OpenMetadata): the artifacts, then the server. */
  async connectionChecks(context) {
    const config = parseDbtPipeline(context.workflowConfig.source.sourceConfig.config);
    const server = context.workflowConfig.workflowConfig?.openMetadataServerConfig ? await metadataRestConnectionChecks(context) : [];
    return [artifactReachableCheck(config.dbtConfigSource, { step: context, timeoutMs: config.parsingTimeoutSeconds * 1000 }), ...server];
  },
  async create(context) {
    const serverConfig = context.workflowConfig.workflowConfig?.openMetadataServerConfig;
    if (!serverConfig) {
      throw ConfigError.single(
        'workflowConfig.openMetadataServerConfig',
        'is required when source.type is "dbt" (the dbt source updates tables that already exist in OpenMetadata)',
        'add workflowConfig.openMetadataServerConfig: {hostPort: "http://localhost:8585/api", authProvider: openmetadata, securityConfig: {jwtToken: "${OM_JWT}"}}',
      );
    }
    const config = parseDbtPipeline(context.workflowConfig.source.sourceConfig.config);
    const auth = await createAuthProvider(serverConfig, { masker: context.masker, logger: context.logger, container: context.container });
    const client = await OpenMetadataClient.connect({ serverConfig, auth, masker: context.masker, logger: context.logger, signal: context.signal });
    try {
      await client.checkAccess();
    } catch (err) {
      client.close();
      throw err;
    }
    return new DbtSource(client, config, context);
  },
};
