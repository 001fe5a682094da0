/** The AI system register's vocabulary and rules, free of storage and HTTP. */

export const lifecycleStages = ['concept', 'design', 'development', 'validation', 'pilot', 'production', 'retired'] as const;
export type LifecycleStage = (typeof lifecycleStages)[number];

/** The organization's role for the system, in the EU AI Act's terms. */
export const organizationRoles = ['provider', 'deployer', 'importer', 'distributor'] as const;
export type OrganizationRole = (typeof organizationRoles)[number];

export const deploymentEnvironments = ['development', 'staging', 'production'] as const;
export type DeploymentEnvironment = (typeof deploymentEnvironments)[number];

export const autonomyLevels = ['human_in_the_loop', 'human_on_the_loop', 'autonomous'] as const;
export type AutonomyLevel = (typeof autonomyLevels)[number];

/** Whether an impact assessment of the system has been carried out, as far as the record states. */
export const impactAssessmentStatuses = ['completed', 'not_completed', 'unknown'] as const;
export type ImpactAssessmentStatus = (typeof impactAssessmentStatuses)[number];

/**
 * Stages a system may move to from each stage. Any stage may be retired; a retired system may
 * only be brought back to concept, which starts its lifecycle again.
 */
const allowedTransitions: Record<LifecycleStage, readonly LifecycleStage[]> = {
  concept: ['design', 'retired'],
  design: ['concept', 'development', 'retired'],
  development: ['design', 'validation', 'retired'],
  validation: ['development', 'pilot', 'production', 'retired'],
  pilot: ['development', 'validation', 'production', 'retired'],
  production: ['development', 'validation', 'pilot', 'retired'],
  retired: ['concept'],
};

export function isTransitionAllowed(from: LifecycleStage, to: LifecycleStage): boolean {
  return allowedTransitions[from].includes(to);
}

export function allowedNextStages(from: LifecycleStage): readonly LifecycleStage[] {
  return allowedTransitions[from];
}
