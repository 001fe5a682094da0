import { useCallback, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../api/client';
import { entryPath, soaKeys, type EntryPatch, type ImplementationStatus, type InclusionBasis, type SoaDecision, type SoaEntry } from './soa-api';

/** What the inline editor of one control holds. */
export interface EntryForm {
  decision: SoaDecision;
  justification: string;
  basis: InclusionBasis[];
  implementationStatus: ImplementationStatus | null;
  ownerPersonId: string | null;
  notes: string;
}

/**
 * One control being edited: the form, the entry version the edit is based on (sent as If-Match)
 * and the outcome of the last save.
 */
export interface EntryEdit {
  form: EntryForm;
  baseVersion: number;
  saving: boolean;
  error: unknown;
}

export function formOf(entry: SoaEntry): EntryForm {
  return {
    decision: entry.decision,
    justification: entry.justification,
    basis: entry.basis,
    implementationStatus: entry.implementationStatus,
    ownerPersonId: entry.ownerPersonId,
    notes: entry.notes,
  };
}

/**
 * The PATCH body for the fields the form changed. Grounds and status go only with an applicable
 * decision: the API drops both when a control is excluded. An unchanged justification is left
 * out, so the API can say when a changed decision needs a new one.
 */
export function buildPatch(entry: SoaEntry, form: EntryForm): EntryPatch {
  const patch: EntryPatch = {};
  if (form.decision !== entry.decision) patch.decision = form.decision;
  if (form.justification !== entry.justification) patch.justification = form.justification;
  if (form.ownerPersonId !== entry.ownerPersonId) patch.ownerPersonId = form.ownerPersonId;
  if (form.notes !== entry.notes) patch.notes = form.notes;
  if (form.decision === 'applicable') {
    const newlyApplicable = entry.decision !== 'applicable';
    if (newlyApplicable || !sameMembers(form.basis, entry.basis)) patch.basis = form.basis;
    if (newlyApplicable || form.implementationStatus !== entry.implementationStatus) patch.implementationStatus = form.implementationStatus;
  }
  return patch;
}

/**
 * Returns the justification the form shows after the decision changes. The stored justification
 * argues for the stored decision, so it is cleared when the control flips to another decision and
 * comes back when the stored decision is chosen again. Text the user typed is kept either way.
 */
export function justificationForDecision(entry: SoaEntry, form: EntryForm, decision: SoaDecision): string {
  if (decision === entry.decision) return form.justification === '' ? entry.justification : form.justification;
  return form.justification === entry.justification ? '' : form.justification;
}

function sameMembers(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((item) => right.includes(item));
}

/**
 * Inline edits of the controls of one draft, kept by control ref so that a filter hiding a row
 * being edited does not lose what was typed. Each save sends If-Match with the version the edit
 * started from.
 */
export function useEntryEdits(versionId: string) {
  const queryClient = useQueryClient();
  const [edits, setEdits] = useState<Record<string, EntryEdit>>({});

  const update = useCallback((ref: string, change: (edit: EntryEdit) => EntryEdit | undefined) => {
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

  const start = useCallback((entry: SoaEntry) => {
    setEdits((current) => (current[entry.controlRef] ? current : { ...current, [entry.controlRef]: { form: formOf(entry), baseVersion: entry.version, saving: false, error: null } }));
  }, []);

  const change = useCallback((ref: string, values: Partial<EntryForm>) => update(ref, (edit) => ({ ...edit, form: { ...edit.form, ...values } })), [update]);

  const cancel = useCallback((ref: string) => update(ref, () => undefined), [update]);

  const save = useCallback(
    async (entry: SoaEntry, form: EntryForm, baseVersion: number) => {
      const patch = buildPatch(entry, form);
      if (Object.keys(patch).length === 0) {
        cancel(entry.controlRef);
        return;
      }
      update(entry.controlRef, (edit) => ({ ...edit, saving: true, error: null }));
      try {
        const saved = await api<SoaEntry>(entryPath(versionId, entry.controlRef), { method: 'PATCH', body: patch, ifMatch: baseVersion });
        queryClient.setQueryData<Page<SoaEntry>>(soaKeys.entries(versionId), (page) =>
          page ? { ...page, items: page.items.map((item) => (item.controlRef === saved.controlRef ? saved : item)) } : page,
        );
        await queryClient.invalidateQueries({ queryKey: soaKeys.versions });
        update(entry.controlRef, () => undefined);
      } catch (error) {
        update(entry.controlRef, (edit) => ({ ...edit, saving: false, error }));
      }
    },
    [versionId, queryClient, update, cancel],
  );

  /** After a 412: reads the control as it is now and bases the edit on it, keeping what was typed. */
  const rebase = useCallback(
    async (ref: string) => {
      // Saving waits until the edit is based on the current version.
      update(ref, (edit) => ({ ...edit, saving: true }));
      let current: SoaEntry;
      try {
        current = await api<SoaEntry>(entryPath(versionId, ref));
      } catch (error) {
        update(ref, (edit) => ({ ...edit, saving: false, error }));
        return;
      }
      queryClient.setQueryData<Page<SoaEntry>>(soaKeys.entries(versionId), (page) =>
        page ? { ...page, items: page.items.map((item) => (item.controlRef === ref ? current : item)) } : page,
      );
      update(ref, (edit) => ({ ...edit, baseVersion: current.version, saving: false, error: null }));
    },
    [versionId, queryClient, update],
  );

  return { edits, start, change, cancel, save, rebase };
}
