import { useCallback, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../api/client';
import { answerPath, assessmentKeys, type Answer, type AnswerPatch, type Effort } from './assessment-api';

export interface AnswerForm {
  maturity: number | null;
  notApplicable: boolean;
  notApplicableReason: string;
  comment: string;
  effort: Effort | null;
}

export interface AnswerEdit {
  form: AnswerForm;
  /** The answer version the edit started from, sent as If-Match. */
  baseVersion: number;
  saving: boolean;
  error: unknown;
}

function formOf(answer: Answer): AnswerForm {
  return {
    maturity: answer.maturity,
    notApplicable: answer.notApplicable,
    notApplicableReason: answer.notApplicableReason ?? '',
    comment: answer.comment,
    effort: answer.effort,
  };
}

/** The PATCH body for the fields the form changed; a level is left out while the item is marked not applicable. */
export function buildAnswerPatch(answer: Answer, form: AnswerForm): AnswerPatch {
  const patch: AnswerPatch = {};
  if (form.notApplicable !== answer.notApplicable) patch.notApplicable = form.notApplicable;
  if (form.notApplicable) {
    if (form.notApplicableReason !== (answer.notApplicableReason ?? '') || patch.notApplicable !== undefined) patch.notApplicableReason = form.notApplicableReason;
  } else if (form.maturity !== answer.maturity) {
    patch.maturity = form.maturity;
  }
  if (form.comment !== answer.comment) patch.comment = form.comment;
  if (form.effort !== answer.effort) patch.effort = form.effort;
  return patch;
}

/** Inline edits of the questionnaire, by item ref, each saved on its own with If-Match. */
export function useAnswerEdits(assessmentId: string) {
  const queryClient = useQueryClient();
  const [edits, setEdits] = useState<Record<string, AnswerEdit>>({});

  const update = useCallback((ref: string, change: (edit: AnswerEdit) => AnswerEdit | undefined) => {
    setEdits((current) => {
      const edit = current[ref];
      if (!edit) return current;
      const next = { ...current };
      const changed = change(edit);
      if (changed) next[ref] = changed;
      else delete next[ref];
      return next;
    });
  }, []);

  const replaceAnswer = useCallback(
    (saved: Answer) =>
      queryClient.setQueryData<Page<Answer>>(assessmentKeys.answers(assessmentId), (page) =>
        page ? { ...page, items: page.items.map((item) => (item.ref === saved.ref ? saved : item)) } : page,
      ),
    [assessmentId, queryClient],
  );

  const start = useCallback((answer: Answer) => {
    setEdits((current) => (current[answer.ref] ? current : { ...current, [answer.ref]: { form: formOf(answer), baseVersion: answer.version, saving: false, error: null } }));
  }, []);

  const change = useCallback((ref: string, values: Partial<AnswerForm>) => update(ref, (edit) => ({ ...edit, form: { ...edit.form, ...values } })), [update]);

  const cancel = useCallback((ref: string) => update(ref, () => undefined), [update]);

  const save = useCallback(
    async (answer: Answer, edit: AnswerEdit) => {
      const patch = buildAnswerPatch(answer, edit.form);
      if (Object.keys(patch).length === 0) {
        cancel(answer.ref);
        return;
      }
      update(answer.ref, (current) => ({ ...current, saving: true, error: null }));
      try {
        const saved = await api<Answer>(answerPath(assessmentId, answer.ref), { method: 'PATCH', body: patch, ifMatch: edit.baseVersion });
        replaceAnswer(saved);
        update(answer.ref, () => undefined);
        // Progress and scores move with every answer.
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: assessmentKeys.list }),
          queryClient.invalidateQueries({ queryKey: assessmentKeys.scores(assessmentId) }),
        ]);
      } catch (error) {
        update(answer.ref, (current) => ({ ...current, saving: false, error }));
      }
    },
    [assessmentId, queryClient, update, cancel, replaceAnswer],
  );

  /** After a 412: reads the answer as it is now and bases the edit on it, keeping what was typed. */
  const rebase = useCallback(
    async (ref: string) => {
      // Saving waits until the edit is based on the current version.
      update(ref, (edit) => ({ ...edit, saving: true }));
      try {
        const current = await api<Answer>(answerPath(assessmentId, ref));
        replaceAnswer(current);
        update(ref, (edit) => ({ ...edit, baseVersion: current.version, saving: false, error: null }));
      } catch (error) {
        update(ref, (edit) => ({ ...edit, saving: false, error }));
      }
    },
    [assessmentId, update, replaceAnswer],
  );

  return { edits, start, change, cancel, save, rebase };
}
