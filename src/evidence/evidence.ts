import { describeUnsafeText } from '../platform/text-safety.js';

/** Rules of evidence that need no storage: its vocabularies, file names, media types and validity dates. */

export const evidenceKinds = [
  'policy',
  'procedure',
  'record',
  'report',
  'test_result',
  'log',
  'meeting_minutes',
  'training_record',
  'certificate',
  'contract',
  'screenshot',
  'other',
] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

/** Confidentiality levels. Metadata is visible to every reader, and the file of restricted evidence only to a few roles and its uploader. */
export const confidentialityLevels = ['public', 'internal', 'restricted'] as const;
export type Confidentiality = (typeof confidentialityLevels)[number];

/** Largest file name kept, in bytes of UTF-8, as most file systems allow for one path component. */
export const maxFileNameBytes = 255;

// Bidirectional formatting characters can make "invoice\u202Efdp.exe" display as "invoiceexe.pdf".
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/u;
const controlCharacter = /\p{Cc}/u;

/**
 * Describes what is wrong with a client's file name, or returns undefined when it may be kept.
 * The name is only ever metadata, but it returns to browsers in Content-Disposition, so names
 * that carry a path, a control character or a disguised extension are rejected rather than
 * cleaned up silently.
 */
export function describeFileNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty; send the file part with the name of the file, such as report.pdf';
  if (name === '.' || name === '..') return 'names a directory, not a file; send the name of the file itself, such as report.pdf';
  if (name.includes('/') || name.includes('\\')) {
    const last = name.split(/[/\\]/).pop() ?? '';
    const example = last === '' || last === '.' || last === '..' ? 'report.pdf' : last;
    return `contains a path separator ("/" or "\\"); send the file name without any directory, such as ${JSON.stringify(example)}`;
  }
  const control = controlCharacter.exec(name);
  if (control) return `contains the control character ${codePoint(control[0])}; remove it`;
  const bidi = bidiControls.exec(name);
  if (bidi) return `contains the bidirectional formatting character ${codePoint(bidi[0])}, which can disguise the extension; remove it`;
  const unsafe = describeUnsafeText(name);
  if (unsafe) return unsafe;
  if (!/[\p{L}\p{N}]/u.test(name)) return 'has no letter or digit; send a readable name of the file, such as report.pdf';
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > maxFileNameBytes) return `is ${bytes} bytes long in UTF-8; shorten it to at most ${maxFileNameBytes} bytes`;
  return undefined;
}

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A media type without parameters, as RFC 6838 section 4.2 restricts type and subtype names; lower case. */
const mediaTypePattern = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** Describes what is wrong with a media type, or returns undefined when it is well formed. */
export function describeMediaTypeProblem(mediaType: string): string | undefined {
  if (mediaTypePattern.test(mediaType)) return undefined;
  return 'is not a media type such as application/pdf; set the Content-Type header of the file part to the type of the file';
}

/** Whole days from `today` to `validUntil`, both YYYY-MM-DD: 0 on the last valid day, negative once it has passed. */
export function daysRemaining(validUntil: string, today: string): number {
  return Math.round((Date.parse(`${validUntil}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** Returns the date of an instant as YYYY-MM-DD in UTC. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Returns the YYYY-MM-DD date `days` days after a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return utcDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));
}
