/** RACI: for each activity about an AI system, who is responsible, accountable, consulted and informed. */

export const raciResponsibilities = ['responsible', 'accountable', 'consulted', 'informed'] as const;
export type RaciResponsibility = (typeof raciResponsibilities)[number];

/**
 * Returns the activity as stored: trimmed, with runs of white space made one space. Activities
 * are compared ignoring case, so "Model validation" and "model  validation" are one activity.
 */
export function normalizeActivity(activity: string): string {
  return activity.trim().replace(/\s+/g, ' ');
}
