/**
 * Rules of threat models. A threat model belongs to one AI system and lists the system's assets
 * and the threat scenarios against them. Any change returns a reviewed model to draft, and a
 * review counts only when the reviewer changed nothing since the last review.
 */

export const threatModelStatuses = ['draft', 'reviewed'] as const;
export type ThreatModelStatus = (typeof threatModelStatuses)[number];

/** Kinds of asset a threat scenario can target. */
export const assetKinds = [
  'model',
  'training_data',
  'evaluation_data',
  'input_data',
  'inference_api',
  'prompt',
  'output',
  'pipeline',
  'retrieval_index',
  'agent_tool',
  'infrastructure',
  'other',
] as const;
export type AssetKind = (typeof assetKinds)[number];

/** Pattern of asset keys: short lower-case names such as `model` or `training-data`. */
export const assetKeyPattern = '^[a-z0-9][a-z0-9_-]{0,39}$';

/** Limits that keep one threat model readable and its writes bounded. */
export const maxAssets = 200;
export const maxScenarios = 500;
export const maxLinkedRisks = 100;

/** Adds the caller to the users who edited the model since its last review, keeping the order of first edits. */
export function withEditor(editors: readonly string[], userId: string): string[] {
  return editors.includes(userId) ? [...editors] : [...editors, userId];
}

/** Returns the keys of duplicate entries, each once, in order of first repetition. */
export function duplicatesOf(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) repeated.add(value);
    seen.add(value);
  }
  return [...repeated];
}
