import { useQuery } from '@tanstack/react-query';
import { api, apiPath, type Page } from '../api/client';

/** Types and reads of the Statement of Applicability API (/api/soa), as the screen uses them. */

export type SoaStatus = 'draft' | 'approved' | 'discarded';
export type SoaDecision = 'undecided' | 'applicable' | 'excluded';
export type ImplementationStatus = 'not_started' | 'planned' | 'partially_implemented' | 'implemented';
export type InclusionBasis = 'risk_treatment' | 'legal_requirement' | 'contractual_requirement' | 'interested_party_requirement' | 'organizational_policy';

export interface SoaCounts {
  controls: number;
  undecided: number;
  applicable: number;
  excluded: number;
  notStarted: number;
  planned: number;
  partiallyImplemented: number;
  implemented: number;
}

export interface SoaVersion {
  id: string;
  number: number;
  status: SoaStatus;
  title: string;
  basedOnId: string | null;
  createdBy: string;
  approvedBy: string | null;
  approvedAt: string | null;
  approvalComment: string | null;
  authors: string[];
  counts: SoaCounts;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SoaEntry {
  soaVersionId: string;
  controlRef: string;
  frameworkId: string;
  controlId: string;
  controlTitle: string;
  groupRef: string | null;
  groupTitle: string | null;
  decision: SoaDecision;
  justification: string;
  basis: InclusionBasis[];
  requirementRefs: string[];
  implementationStatus: ImplementationStatus | null;
  ownerPersonId: string | null;
  ownerName: string | null;
  notes: string;
  evidence: Array<{ id: string; title: string; validUntil: string | null }>;
  linkedRisks: Array<{ id: string; title: string; residualLevel: string | null }>;
  changedBy: string[];
  version: number;
  updatedAt: string;
}

export type EntryPatch = Partial<Pick<SoaEntry, 'decision' | 'justification' | 'basis' | 'implementationStatus' | 'ownerPersonId' | 'notes'>>;

export type ComparedField = 'decision' | 'justification' | 'basis' | 'requirementRefs' | 'implementationStatus' | 'ownerPersonId' | 'notes';

export interface SoaDiff {
  from: { id: string; number: number; status: SoaStatus };
  to: { id: string; number: number; status: SoaStatus };
  differences: Array<{
    controlRef: string;
    controlTitle: string;
    change: 'added' | 'removed' | 'changed';
    fields: Array<{ field: ComparedField; before: unknown; after: unknown }>;
  }>;
}

export interface Person {
  id: string;
  name: string;
  jobTitle: string;
}

export const decisionLabels: Record<SoaDecision, string> = { undecided: 'Undecided', applicable: 'Applicable', excluded: 'Excluded' };

export const statusLabels: Record<ImplementationStatus, string> = {
  not_started: 'Not started',
  planned: 'Planned',
  partially_implemented: 'Partially implemented',
  implemented: 'Implemented',
};

export const basisLabels: Record<InclusionBasis, string> = {
  risk_treatment: 'Risk treatment',
  legal_requirement: 'Legal requirement',
  contractual_requirement: 'Contractual requirement',
  interested_party_requirement: 'Interested party requirement',
  organizational_policy: 'Organizational policy',
};

export const fieldLabels: Record<ComparedField, string> = {
  decision: 'Applicability',
  justification: 'Justification',
  basis: 'Grounds for inclusion',
  requirementRefs: 'Requirements',
  implementationStatus: 'Implementation status',
  ownerPersonId: 'Owner',
  notes: 'Notes',
};

/** The formats GET /api/soa/versions/:id/export produces. */
export const exportFormats = [
  { format: 'csv', label: 'CSV' },
  { format: 'xlsx', label: 'Excel (XLSX)' },
  { format: 'html', label: 'Printable HTML' },
] as const;
export type ExportFormat = (typeof exportFormats)[number]['format'];

export const soaKeys = {
  all: ['soa'] as const,
  versions: ['soa', 'versions'] as const,
  entries: (versionId: string) => ['soa', 'entries', versionId] as const,
  diff: (fromId: string, toId: string) => ['soa', 'diff', fromId, toId] as const,
};

/** Every version, newest first. An organization keeps a few dozen at most, so one page of 500 contains them all. */
export function useSoaVersions() {
  return useQuery({
    queryKey: soaKeys.versions,
    queryFn: () => api<Page<SoaVersion>>(apiPath('/soa/versions', { limit: 500 })),
  });
}

/** Every control of a version in catalogue order; Annex A has 38 and organizations add a few of their own. */
export function useSoaEntries(versionId: string | undefined) {
  return useQuery({
    queryKey: soaKeys.entries(versionId ?? ''),
    queryFn: () => api<Page<SoaEntry>>(apiPath(`/soa/versions/${encodeURIComponent(versionId!)}/entries`, { limit: 500 })),
    enabled: versionId !== undefined,
  });
}

export function useSoaDiff(fromId: string | null, toId: string | null) {
  return useQuery({
    queryKey: soaKeys.diff(fromId ?? '', toId ?? ''),
    queryFn: () => api<SoaDiff>(apiPath(`/soa/versions/${encodeURIComponent(toId!)}/diff`, { against: fromId })),
    enabled: fromId !== null && toId !== null && fromId !== toId,
  });
}

/** The people register, for picking a control's owner. */
export function usePeople() {
  return useQuery({
    queryKey: ['people', 'all'],
    queryFn: () => api<Page<Person>>(apiPath('/people', { limit: 500 })),
    staleTime: 60_000,
  });
}

export function entryPath(versionId: string, controlRef: string): string {
  return `/soa/versions/${encodeURIComponent(versionId)}/entries/${encodeURIComponent(controlRef)}`;
}

/** `iso42001:A.6` → `A.6`; the organization's own controls have no group. */
export function groupLabel(entry: Pick<SoaEntry, 'groupRef' | 'groupTitle'>): string {
  if (!entry.groupRef) return "Organization's own controls";
  return `${entry.groupRef.split(':')[1] ?? entry.groupRef} ${entry.groupTitle ?? ''}`.trim();
}
