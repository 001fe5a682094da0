import { describe, expect, it } from 'vitest';
import { addDays, daysRemaining, describeFileNameProblem, describeMediaTypeProblem } from '../../src/evidence/evidence.js';
import { parseLinkedTo } from '../../src/evidence/link-targets.js';
import { contentDisposition } from '../../src/http/routes/evidence.routes.js';

describe('evidence file names', () => {
  it.each(['report.pdf', 'Résumé – final v2.docx', '..hidden', 'a..b', 'x'.repeat(255), '报告.xlsx', 'name with spaces.txt'])('accepts %j', (name) => {
    expect(describeFileNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['../../etc/passwd', 'path separator'],
    ['dir\\file.txt', 'path separator'],
    ['/etc/shadow', 'path separator'],
    ['..', 'names a directory'],
    ['.', 'names a directory'],
    ['', 'is empty'],
    ['a\u0000b', 'control character U+0000'],
    ['line\nbreak.txt', 'control character U+000A'],
    ['tab\there.txt', 'control character U+0009'],
    ['del\u007f.txt', 'control character U+007F'],
    ['c1\u0085.txt', 'control character U+0085'],
    ['photo\u2066gpj.exe', 'bidirectional formatting character U+2066'],
    ['x'.repeat(256), 'is 256 bytes long'],
    ['\ud800.txt', 'unpaired UTF-16 surrogate'],
    ['   ', 'has no letter or digit'],
    ['\u200b', 'has no letter or digit'],
  ])('rejects %j', (name, problem) => {
    expect(describeFileNameProblem(name)).toContain(problem);
  });

  it('suggests the last path segment as the name', () => {
    expect(describeFileNameProblem('../../etc/passwd')).toBe('contains a path separator ("/" or "\\"); send the file name without any directory, such as "passwd"');
    expect(describeFileNameProblem('uploads/../')).toContain('such as "report.pdf"');
  });
});

describe('evidence media types', () => {
  it.each(['application/pdf', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'image/svg+xml'])('accepts %s', (type) => {
    expect(describeMediaTypeProblem(type)).toBeUndefined();
  });

  it.each(['pdf', 'text/', '/plain', 'text/plain; charset=utf-8', 'text/plain\r\nx-injected: 1', 'Text/Plain', `application/${'x'.repeat(130)}`])('rejects %j', (type) => {
    expect(describeMediaTypeProblem(type)).toBeDefined();
  });
});

describe('evidence validity dates', () => {
  it('counts days to the last valid day', () => {
    expect(daysRemaining('2026-03-11', '2026-03-01')).toBe(10);
    expect(daysRemaining('2026-03-01', '2026-03-01')).toBe(0);
    expect(daysRemaining('2026-02-20', '2026-03-01')).toBe(-9);
    expect(daysRemaining('2025-03-01', '2024-03-01')).toBe(365);
  });

  it('adds days across months and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', 0)).toBe('2026-03-01');
  });
});

describe('evidence download headers', () => {
  it('quotes an ASCII name and encodes the exact name in UTF-8', () => {
    expect(contentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(contentDisposition('Résumé "final" 100%.pdf')).toBe(
      `attachment; filename="R_sum_ _final_ 100_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%20100%25.pdf`,
    );
    expect(contentDisposition("it's (draft)*.txt")).toBe(`attachment; filename="it's (draft)*.txt"; filename*=UTF-8''it%27s%20%28draft%29%2A.txt`);
  });
});

describe('linkedTo filter', () => {
  it('splits at the first colon', () => {
    expect(parseLinkedTo('catalogue_item:nist-ai-rmf:GOVERN 1.1', '/linkedTo')).toEqual({ targetType: 'catalogue_item', targetId: 'nist-ai-rmf:GOVERN 1.1' });
    expect(parseLinkedTo('ai_system:42', '/linkedTo')).toEqual({ targetType: 'ai_system', targetId: '42' });
  });

  it.each(['ai_system', 'ai_system:', ':42', 'policy:1'])('rejects %j naming it', (value) => {
    expect(() => parseLinkedTo(value, '/linkedTo')).toThrow(`"${value}" is not <target type>:<id>`);
  });
});
