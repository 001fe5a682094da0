/**
 * The threat library: the catalogue frameworks whose items are threats, and the scenario
 * families that group those items across frameworks. The items themselves are catalogue data
 * (catalogue/frameworks/*.yaml), each tagged with its families in the `families` attribute.
 */

/** Catalogue frameworks that make up the threat library, in the order the library lists them. */
export const threatFrameworkIds = ['mitre-atlas', 'owasp-ml-top10', 'owasp-llm-top10-2025'] as const;
export type ThreatFrameworkId = (typeof threatFrameworkIds)[number];

export function isThreatFramework(frameworkId: string): frameworkId is ThreatFrameworkId {
  return (threatFrameworkIds as readonly string[]).includes(frameworkId);
}

/** Scenario families: the kinds of attack or failure a threat model usually starts from. */
export const scenarioFamilies = [
  { id: 'data-poisoning', title: 'Data poisoning', description: 'Tampered training, fine-tuning or retrieval data, or a tampered model, that plants wrong or hidden behaviour.' },
  { id: 'evasion', title: 'Evasion', description: 'Inputs crafted so that the model misreads them at inference time.' },
  { id: 'model-extraction', title: 'Model extraction', description: 'Theft of a model, by taking its files or by copying its behaviour through queries.' },
  { id: 'prompt-injection', title: 'Prompt injection', description: 'Instructions in user input or in content the model reads that override its intended behaviour.' },
  { id: 'privacy-leakage', title: 'Privacy and data leakage', description: 'Disclosure of training data, personal data, confidential data or system prompts through the model.' },
  { id: 'supply-chain', title: 'Supply chain', description: 'Compromised or unsuitable third-party models, data, software or agent tools.' },
  { id: 'drift', title: 'Drift and degradation', description: 'Performance that erodes over time, through manipulated feedback, corrupted data or adversarial pressure.' },
  { id: 'misuse', title: 'Misuse and excessive agency', description: 'Use of the system, its tools or its outputs to cause harm beyond its intended purpose.' },
  { id: 'denial-of-service', title: 'Denial of service and cost', description: 'Exhaustion of the compute, budget or staff time that the AI system depends on.' },
  { id: 'output-integrity', title: 'Output integrity', description: 'Outputs that are altered, unsafely handled downstream, or untrue but trusted.' },
] as const;

export type ScenarioFamilyId = (typeof scenarioFamilies)[number]['id'];
export const scenarioFamilyIds = scenarioFamilies.map((family) => family.id) as unknown as readonly [ScenarioFamilyId, ...ScenarioFamilyId[]];

/** Reads the families of a catalogue item from its attributes. Items without the attribute have none. */
export function familiesOf(attributes: Record<string, unknown>): string[] {
  const value = attributes.families;
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

/** Reads the ATLAS tactic ids of a catalogue item. OWASP items have none. */
export function tacticsOf(attributes: Record<string, unknown>): string[] {
  const value = attributes.tactics;
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}
