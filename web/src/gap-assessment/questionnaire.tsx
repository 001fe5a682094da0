import { Fragment, useMemo, useState } from 'react';
import { Badge, Button, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { ApiError } from '../api/client';
import { ConflictAlert } from '../components/conflict-alert';
import { ErrorAlert } from '../components/error-alert';
import { UnsavedChangesGuard } from '../components/unsaved-changes';
import { effortLabels, type Answer, type AssessmentScores, type Effort, type MaturityScale } from './assessment-api';
import { buildAnswerPatch, useAnswerEdits, type AnswerEdit, type AnswerForm } from './use-answer-edits';
import { ScrollRegion } from '../soa/scroll-region';

interface Props {
  assessmentId: string;
  answers: readonly Answer[];
  scores: AssessmentScores;
  scale: MaturityScale;
  /** The reason the signed-in user cannot change the answers, or null when they can. */
  readOnlyReason: string | null;
}

/** The items of one assessment, grouped by clause and Annex A group, each with an inline editor. */
export function Questionnaire({ assessmentId, answers, scores, scale, readOnlyReason }: Props) {
  const { edits, start, change, cancel, save, rebase } = useAnswerEdits(assessmentId);
  const [search, setSearch] = useState('');
  const [state, setState] = useState('');
  const byRef = new Map(answers.map((answer) => [answer.ref, answer]));
  const unsaved = Object.entries(edits).filter(([ref, edit]) => {
    const answer = byRef.get(ref);
    return answer !== undefined && Object.keys(buildAnswerPatch(answer, edit.form)).length > 0;
  });

  const sectionTitles = new Map([...scores.clauses, ...scores.annexAGroups].map((row) => [row.ref, row.itemId ? `${row.itemId} ${row.title}` : row.title]));
  const shown = useMemo(() => answers.filter((answer) => matches(answer, search, state, scores.targetLevel)), [answers, search, state, scores.targetLevel]);
  const sections = [...new Set(shown.map((answer) => answer.sectionRef))];

  return (
    <Stack gap="sm">
      <UnsavedChangesGuard dirty={unsaved.length > 0} what={`your answers to ${unsaved.map(([ref]) => byRef.get(ref)?.itemId ?? ref).join(', ')}`} />
      <Group gap="sm" align="flex-end">
        <TextInput label="Search items" placeholder="Clause, control, title or comment" value={search} onChange={(event) => setSearch(event.currentTarget.value)} w={280} />
        <NativeSelect
          label="Answer"
          value={state}
          onChange={(event) => setState(event.currentTarget.value)}
          data={[
            { value: '', label: 'Any' },
            { value: 'unanswered', label: 'Unanswered' },
            { value: 'answered', label: 'Answered' },
            { value: 'not_applicable', label: 'Not applicable' },
            { value: 'below_target', label: `Below target level ${scores.targetLevel}` },
          ]}
          w={200}
        />
      </Group>
      <Text size="sm" c="dimmed" role="status">
        Showing {shown.length} of {answers.length} items
      </Text>

      {sections.map((section) => (
        <ScrollRegion minWidth={760} key={section ?? 'org'} label={`Questionnaire items of ${section ? (sectionTitles.get(section) ?? section) : "the organization's own controls"}`}>
          <Table withTableBorder fz="sm" verticalSpacing={5} layout="fixed">
            <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
              <Text span fw={600} c="dark">
                {section ? (sectionTitles.get(section) ?? section) : "Organization's own controls"}
              </Text>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" w={260}>
                  Item
                </Table.Th>
                <Table.Th scope="col" w={150}>
                  Maturity
                </Table.Th>
                <Table.Th scope="col">Notes</Table.Th>
                <Table.Th scope="col" w={80}>
                  Effort
                </Table.Th>
                {!readOnlyReason && (
                  <Table.Th scope="col" w={80}>
                    Action
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown
                .filter((answer) => answer.sectionRef === section)
                .map((answer) => {
                  const edit = edits[answer.ref];
                  return (
                    <Fragment key={answer.ref}>
                      <AnswerRow answer={answer} targetLevel={scores.targetLevel} editable={!readOnlyReason} editing={edit !== undefined} onEdit={() => start(answer)} />
                      {edit && (
                        <Table.Tr>
                          <Table.Td colSpan={5} p={0}>
                            <AnswerEditor
                              answer={answer}
                              edit={edit}
                              scale={scale}
                              onChange={(values) => change(answer.ref, values)}
                              onSave={() => void save(answer, edit)}
                              onCancel={() => cancel(answer.ref)}
                              onReload={() => void rebase(answer.ref)}
                            />
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  );
                })}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      ))}
    </Stack>
  );
}

function AnswerRow({ answer, targetLevel, editable, editing, onEdit }: { answer: Answer; targetLevel: number; editable: boolean; editing: boolean; onEdit: () => void }) {
  return (
    <Table.Tr style={{ verticalAlign: 'top' }} data-testid={`answer-row-${answer.itemId}`}>
      <Table.Th scope="row" fw={400}>
        <Text span fw={600} size="sm">
          {answer.itemId}
        </Text>{' '}
        {answer.title}
      </Table.Th>
      <Table.Td>
        <MaturityBadge answer={answer} targetLevel={targetLevel} />
      </Table.Td>
      <Table.Td>
        <Text size="xs">{answer.notApplicable ? `Not applicable: ${answer.notApplicableReason ?? ''}` : answer.comment || '—'}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="xs">{answer.effort ? effortLabels[answer.effort] : '—'}</Text>
      </Table.Td>
      {editable && (
        <Table.Td>
          <Button size="compact-xs" variant="light" onClick={onEdit} disabled={editing} aria-label={`Answer ${answer.itemId}`}>
            {editing ? 'Editing' : 'Answer'}
          </Button>
        </Table.Td>
      )}
    </Table.Tr>
  );
}

const wrapping = { root: { height: 'auto', paddingBlock: 2 }, label: { whiteSpace: 'normal', overflow: 'visible' } } as const;

/** The level with its name. Below the target the dot is orange and the text states it too. */
function MaturityBadge({ answer, targetLevel }: { answer: Answer; targetLevel: number }) {
  if (answer.notApplicable) {
    return (
      <Badge color="gray.8" variant="outline" tt="none" styles={wrapping}>
        Not applicable
      </Badge>
    );
  }
  if (answer.maturity === null) {
    return (
      <Badge color="gray.8" variant="outline" tt="none" styles={wrapping}>
        Unanswered
      </Badge>
    );
  }
  const below = answer.maturity < targetLevel;
  return (
    <Badge color={below ? 'orange' : 'teal'} variant="dot" tt="none" styles={wrapping}>
      {answer.maturity} {answer.maturityName}
      {below ? ' (below target)' : ''}
    </Badge>
  );
}

interface EditorProps {
  answer: Answer;
  edit: AnswerEdit;
  scale: MaturityScale;
  onChange: (values: Partial<AnswerForm>) => void;
  onSave: () => void;
  onCancel: () => void;
  onReload: () => void;
}

const answerFields = ['maturity', 'notApplicable', 'notApplicableReason', 'comment', 'effort'] as const;

function AnswerEditor({ answer, edit, scale, onChange, onSave, onCancel, onReload }: EditorProps) {
  const { form, error, saving } = edit;
  const apiError = error instanceof ApiError ? error : undefined;
  const fieldError = (field: string) => apiError?.fieldMessage(field);
  const conflict = apiError?.status === 412;
  const unplacedError = Boolean(error) && !conflict && !(apiError && answerFields.some((field) => fieldError(field)));
  const chosen = scale.levels.find((level) => level.level === form.maturity);

  return (
    <Stack
      gap="sm"
      p="sm"
      role="group"
      aria-label={`Answer ${answer.itemId} ${answer.title}`}
      bg="var(--mantine-color-gray-0)"
      component="form"
      onSubmit={(event) => {
        event.preventDefault();
        onSave();
      }}
    >
      <Checkbox
        label="Not applicable to this organization"
        checked={form.notApplicable}
        onChange={(event) => onChange({ notApplicable: event.currentTarget.checked })}
        error={fieldError('notApplicable')}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        {form.notApplicable ? (
          <TextInput
            label="Why it does not apply"
            value={form.notApplicableReason}
            onChange={(event) => onChange({ notApplicableReason: event.currentTarget.value })}
            error={fieldError('notApplicableReason')}
          />
        ) : (
          <NativeSelect
            label="Maturity level"
            value={form.maturity === null ? '' : String(form.maturity)}
            data={[{ value: '', label: 'Not answered' }, ...scale.levels.map((level) => ({ value: String(level.level), label: `${level.level} ${level.name}` }))]}
            onChange={(event) => onChange({ maturity: event.currentTarget.value === '' ? null : Number(event.currentTarget.value) })}
            description={chosen?.criteria}
            error={fieldError('maturity')}
          />
        )}
        <NativeSelect
          label="Effort to close the gap"
          value={form.effort ?? ''}
          data={[{ value: '', label: 'Not estimated' }, ...(Object.keys(effortLabels) as Effort[]).map((effort) => ({ value: effort, label: effortLabels[effort] }))]}
          onChange={(event) => onChange({ effort: (event.currentTarget.value || null) as Effort | null })}
          error={fieldError('effort')}
        />
      </SimpleGrid>
      <Textarea
        label="Notes"
        description="What the assessor saw and why the level was given"
        value={form.comment}
        autosize
        minRows={2}
        maxRows={8}
        onChange={(event) => onChange({ comment: event.currentTarget.value })}
        error={fieldError('comment')}
      />
      {conflict && <ConflictAlert onReload={onReload} />}
      {unplacedError && <ErrorAlert error={error} />}
      <Group gap="xs">
        <Button type="submit" size="xs" loading={saving}>
          Save {answer.itemId}
        </Button>
        <Button size="xs" variant="default" onClick={onCancel} disabled={saving}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}

function matches(answer: Answer, search: string, state: string, targetLevel: number): boolean {
  if (state === 'below_target' && (answer.maturity === null || answer.maturity >= targetLevel)) return false;
  if (state === 'unanswered' && (answer.maturity !== null || answer.notApplicable)) return false;
  if (state === 'answered' && answer.maturity === null) return false;
  if (state === 'not_applicable' && !answer.notApplicable) return false;
  const query = search.trim().toLowerCase();
  if (!query) return true;
  return [answer.itemId, answer.title, answer.comment].some((text) => text.toLowerCase().includes(query));
}
