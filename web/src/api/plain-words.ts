/**
 * Rewords the API's validation messages for people who use the screens. The API writes for
 * programs and scripts as well: it quotes the value received, names regular expressions and
 * points at the endpoint that lists valid ids. Next to a form field the value is already in
 * view, and the user picks ids from a list, so those parts are replaced by what to do.
 */

/** Plain descriptions of the patterns that API schemas use, by the pattern's source text. */
const patternDescriptions: Record<string, string> = {
  '^[a-z0-9-]+$': 'Use lower-case letters, digits and hyphens only',
  '^[a-z][a-z0-9-]*$': 'Start with a lower-case letter; then use lower-case letters, digits and hyphens only',
  '^[a-z][a-z0-9_]*$': 'Start with a lower-case letter; then use lower-case letters, digits and underscores only',
  '^[a-z][a-z0-9_-]*$': 'Start with a lower-case letter; then use lower-case letters, digits, hyphens and underscores only',
  '^[a-z0-9][a-z0-9._-]{0,63}$': 'Use up to 64 lower-case letters, digits, dots, hyphens and underscores, starting with a letter or digit',
  '^[a-z0-9][a-z0-9-]*:\\S(?:.*\\S)?$': 'Use a catalogue reference such as iso42001:A.6.2.4',
  '^[0-9a-f]{64}$': 'Use a SHA-256 as 64 lower-case hexadecimal digits',
  '^[0-9a-fA-F]{64}$': 'Use a SHA-256 as 64 hexadecimal digits',
};

interface Rewording {
  match: RegExp;
  plain: (...groups: string[]) => string;
}

/** Rewordings of whole API messages, after the received value and endpoint hints are removed. */
const rewordings: Rewording[] = [
  { match: /^is required$/, plain: () => 'Required' },
  // Shown under the field's label, a message that starts with its verb reads as a fragment.
  { match: /^is required (to|when|for|if|because) (.+)$/s, plain: (word, rest) => `Required ${word} ${rest}` },
  { match: /^must not be blank$/, plain: () => 'Required: enter more than spaces' },
  { match: /^must match the pattern (.+)$/, plain: (pattern) => patternDescriptions[pattern] ?? 'Contains characters that are not allowed here' },
  { match: /^must be at most (\d+) characters long$/, plain: (limit) => `Too long: use at most ${limit} characters` },
  { match: /^must be at least (\d+) characters long$/, plain: (limit) => `Too short: use at least ${limit} characters` },
  { match: /^must be one of (.+)$/, plain: (values) => `Choose one of: ${values}` },
  { match: /^must be (-?[\d.]+) or more$/, plain: (limit) => `Use ${limit} or more` },
  { match: /^must be (-?[\d.]+) or less$/, plain: (limit) => `Use ${limit} or less` },
  { match: /^must be an integer$/, plain: () => 'Enter a whole number' },
  { match: /^must be a date as YYYY-MM-DD$/, plain: () => 'Enter a date as YYYY-MM-DD' },
  { match: /^must be an absolute http or https URL$/, plain: () => 'Enter a web address that starts with http:// or https://' },
  { match: /^"[^"]*" is not a catalogue item;.*$/, plain: () => 'Not a known control; pick one from the list' },
  { match: /^"[^"]*" is not an item of the threat library;.*$/, plain: () => 'Not a known threat; pick one from the list' },
  { match: /^no (.+?) with id "[^"]*" exists;.*$/, plain: (record) => `No ${record} has this id; pick one from the list` },
  {
    match: /^\d+ is more than the (\d+) controls in scope; choose at most \d+(, or set includeOrganizationControls)?.*$/,
    plain: (count, organization) => `Only ${count} controls are in scope: choose at most ${count}${organization ? ", or include the organization's own controls" : ''}`,
  },
];

/** Removes the parts written for API clients: ` (received "…")` and endpoint hints such as `(GET /api/… lists them)`. */
function stripClientHints(message: string): string {
  return message
    .replace(/\s*\(received .*\)$/s, '')
    .replace(/\s*\((?:GET|POST|PUT|PATCH|DELETE) \/api\/[^)]*\)/g, '')
    .replace(/;\s*(?:GET|POST|PUT|PATCH|DELETE) \/api\/\S+ lists them$/, '')
    .trim();
}

/**
 * Returns the API's message about one value in plain words. A message that needs no rewording is
 * kept as the API wrote it, as it reads on from the field's label ("is required to exclude a control").
 */
export function plainFieldMessage(message: string): string {
  const stripped = stripClientHints(message);
  for (const { match, plain } of rewordings) {
    const found = match.exec(stripped);
    if (found) return plain(...found.slice(1));
  }
  return stripped;
}

/** Names the value a detail's path points at for the reader: `querystring:/sort` is '"sort" in the address', `/inherent/likelihood` is "inherent likelihood". */
export function plainFieldName(path: string): string {
  const separator = path.indexOf(':/');
  const pointer = separator >= 0 ? path.slice(separator + 1) : path;
  const segments = pointer.split('/').filter(Boolean);
  if (isAddressDetail(path)) return `"${segments.join('.')}" in the address`;
  const words = segments.map((segment) => segment.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()).join(' ');
  return words || 'the request';
}

/** True when the detail is about a parameter of the address rather than the request body. */
export function isAddressDetail(path: string): boolean {
  return path.startsWith('querystring:');
}
