/**
 * Catalogue references. Every item of every framework has a ref `<framework id>:<item id>`, such
 * as `iso42001:A.6.2.4` or `nist-ai-rmf:GOVERN 1.1`; records link to items by ref.
 */

/** The framework that holds the controls the organization defines for itself. */
export const organizationFrameworkId = 'org';

/** The framework whose Annex A controls make up the Statement of Applicability. */
export const iso42001FrameworkId = 'iso42001';

export function refOf(frameworkId: string, itemId: string): string {
  return `${frameworkId}:${itemId}`;
}

/** Splits a ref at its first colon; returns undefined when either part is empty. */
export function parseRef(ref: string): { frameworkId: string; itemId: string } | undefined {
  const colon = ref.indexOf(':');
  if (colon <= 0 || colon === ref.length - 1) return undefined;
  return { frameworkId: ref.slice(0, colon), itemId: ref.slice(colon + 1) };
}
