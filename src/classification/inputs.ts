/**
 * The AI system facts a classification used, stored with it as a snapshot, and the comparison
 * that finds which of them changed since. Pure: the service reads the facts from storage.
 */

export interface DataSource {
  modelVersionId: string;
  datasetId: string;
  datasetName: string;
  datasetVersionId: string;
  versionLabel: string;
  purpose: string;
}

export interface DeployedModelVersion {
  modelVersionId: string;
  modelName: string;
  versionLabel: string;
  environment: string;
}

export interface ClassificationInputs {
  aiSystemVersion: number;
  purpose: string;
  decisionDomain: string;
  /** Dataset versions the deployed model versions were trained, validated or tested on. */
  dataSources: DataSource[];
  deploymentEnvironments: string[];
  modelVersions: DeployedModelVersion[];
  affectedGroups: string[];
  autonomy: string;
  organizationRole: string;
}

/** Inputs whose change marks a classification stale, in the order messages list them. */
export const watchedInputs = ['purpose', 'decisionDomain', 'dataSources', 'deploymentEnvironments', 'modelVersions', 'affectedGroups', 'autonomy', 'organizationRole'] as const;
export type WatchedInput = (typeof watchedInputs)[number];

/**
 * Lists the watched inputs that differ between two snapshots. Lists compare as sets, so a new
 * order alone is no change, and names of datasets or models are ignored because ids identify
 * them. The organization's role counts only when the classification took it from the AI system
 * rather than from the request.
 */
export function changedInputs(before: ClassificationInputs, after: ClassificationInputs, options: { roleFromAiSystem: boolean }): WatchedInput[] {
  const keys: Record<WatchedInput, (inputs: ClassificationInputs) => string> = {
    purpose: (inputs) => inputs.purpose,
    decisionDomain: (inputs) => inputs.decisionDomain,
    dataSources: (inputs) => setKey(inputs.dataSources.map((source) => `${source.modelVersionId}|${source.datasetVersionId}|${source.purpose}`)),
    deploymentEnvironments: (inputs) => setKey(inputs.deploymentEnvironments),
    modelVersions: (inputs) => setKey(inputs.modelVersions.map((deployed) => `${deployed.modelVersionId}|${deployed.environment}`)),
    affectedGroups: (inputs) => JSON.stringify([...inputs.affectedGroups].sort()),
    autonomy: (inputs) => inputs.autonomy,
    organizationRole: (inputs) => (options.roleFromAiSystem ? inputs.organizationRole : ''),
  };
  return watchedInputs.filter((input) => keys[input](before) !== keys[input](after));
}

function setKey(values: readonly string[]): string {
  return JSON.stringify([...new Set(values)].sort());
}
