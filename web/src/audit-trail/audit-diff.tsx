import { useState } from 'react';
import { Button, Group, Table, Text } from '@mantine/core';
import { diffWords } from 'diff';

/** One field of a record image, by its dotted path, before and after the change. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

const absent = Symbol('absent');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Flattens nested objects into dotted paths; arrays and scalars are leaf values. */
function flatten(value: unknown, prefix: string, into: Map<string, unknown>): void {
  if (!isPlainObject(value)) {
    if (prefix) into.set(prefix, value);
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 0 && prefix) into.set(prefix, value);
  for (const key of keys) flatten(value[key], prefix ? `${prefix}.${key}` : key, into);
}

/**
 * Compares the before and after images of an event field by field. A field present on one side
 * only counts as changed; values compare by their JSON text. Fields keep the order of the after image.
 */
export function compareImages(before: unknown, after: unknown): FieldChange[] {
  const beforeFields = new Map<string, unknown>();
  const afterFields = new Map<string, unknown>();
  if (before !== null && before !== undefined) flatten(before, isPlainObject(before) ? '' : 'value', beforeFields);
  if (after !== null && after !== undefined) flatten(after, isPlainObject(after) ? '' : 'value', afterFields);

  const fields = [...new Set([...afterFields.keys(), ...beforeFields.keys()])];
  return fields.map((field) => {
    const old = beforeFields.has(field) ? beforeFields.get(field) : absent;
    const current = afterFields.has(field) ? afterFields.get(field) : absent;
    return { field, before: old, after: current, changed: JSON.stringify(old) !== JSON.stringify(current) || old === absent || current === absent };
  });
}

function Value({ value }: { value: unknown }) {
  if (value === absent) return <Text size="xs" c="dimmed" fs="italic">not present</Text>;
  if (value === null) return <Text size="xs" c="dimmed" fs="italic">empty</Text>;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return (
    <Text size="xs" ff={typeof value === 'string' ? undefined : 'monospace'} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {text}
    </Text>
  );
}

/** Renders the new text with deleted words struck through and inserted words underlined, so the change shows without colour. */
function WordDiff({ before, after }: { before: string; after: string }) {
  return (
    <Text size="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {diffWords(before, after).map((part, index) => {
        if (part.removed) return <del key={index} style={{ background: 'var(--mantine-color-red-1)' }}>{part.value}</del>;
        if (part.added) return <ins key={index} style={{ background: 'var(--mantine-color-green-1)' }}>{part.value}</ins>;
        return <span key={index}>{part.value}</span>;
      })}
    </Text>
  );
}

/**
 * Renders the before and after of an event as a table of fields. For a change, only the changed fields
 * show until the user asks for the rest; long texts show their word-level difference.
 */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const [showAll, setShowAll] = useState(false);
  const changes = compareImages(before, after);
  const isChange = before !== null && before !== undefined && after !== null && after !== undefined;
  const unchanged = changes.filter((change) => !change.changed).length;
  const shown = isChange && !showAll ? changes.filter((change) => change.changed) : changes;

  if (changes.length === 0) return <Text size="sm" c="dimmed">The event records no before or after values.</Text>;

  return (
    <>
      <Table withTableBorder withColumnBorders fz="xs" layout="fixed" verticalSpacing={4} aria-label="Fields before and after the change">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="22%">Field</Table.Th>
            <Table.Th>Before</Table.Th>
            <Table.Th>After</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((change) => (
            <Table.Tr key={change.field} data-changed={change.changed}>
              <Table.Td>
                <Text size="xs" ff="monospace" fw={change.changed && isChange ? 700 : undefined}>
                  {change.field}
                </Text>
                {showAll && change.changed && (
                  <Text size="xs" c="dimmed">
                    changed
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Value value={change.before} />
              </Table.Td>
              <Table.Td>
                {change.changed && typeof change.before === 'string' && typeof change.after === 'string' && Math.max(change.before.length, change.after.length) > 30 ? (
                  <WordDiff before={change.before} after={change.after} />
                ) : (
                  <Value value={change.after} />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {isChange && unchanged > 0 && (
        <Group mt={4}>
          <Button size="compact-xs" variant="subtle" onClick={() => setShowAll((value) => !value)} aria-expanded={showAll}>
            {showAll ? 'Show changed fields only' : `Show the ${unchanged} unchanged field${unchanged === 1 ? '' : 's'} too`}
          </Button>
        </Group>
      )}
    </>
  );
}
