import type { LogLevel } from '../logger';

export interface StepSection {
  type: string;
  config?: Record<string, unknown>;
}

export interface SourceSection {
  type: string;
  serviceName: string;
  serviceConnection?: { config: Record<string, unknown> };
  sourceConfig: { config: Record<string, unknown> };
}

export interface OpenMetadataServerConfig {
  hostPort: string;
  authProvider?: string;
  securityConfig?: Record<string, unknown>;
  verifySSL?: 'no-ssl' | 'ignore' | 'validate';
  sslConfig?: Record<string, unknown>;
  enableVersionValidation?: boolean;
  forceEntityOverwriting?: boolean;
  storeServiceConnection?: boolean;
  extraHeaders?: Record<string, string>;
  [key: string]: unknown;
}

export interface WorkflowSettings {
  loggerLevel?: LogLevel;
  successThreshold?: number;
  raiseOnError?: boolean;
  openMetadataServerConfig?: OpenMetadataServerConfig;
  config?: Record<string, unknown>;
}

/** The YAML a user writes (`openMetadataWorkflowConfig`). */
export interface WorkflowConfig {
  source: SourceSection;
  processor?: StepSection;
  stage?: StepSection;
  sink?: StepSection;
  bulkSink?: StepSection;
  workflowConfig: WorkflowSettings;
  ingestionPipelineFQN?: string;
  pipelineRunId?: string;
}
