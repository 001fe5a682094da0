import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, apiPath, type Page } from '../api/client';

/** Evidence as GET /api/evidence returns it. */
export interface Evidence {
  id: string;
  title: string;
  kind: string;
  description: string;
  collectedAt: string;
  collectedByPersonId: string | null;
  validUntil: string | null;
  confidentiality: 'public' | 'internal' | 'restricted';
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  fileName: string;
  uploadedBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  links: EvidenceLink[];
}

export interface EvidenceLink {
  targetType: LinkTargetType;
  targetId: string;
  createdAt: string;
  createdBy: string;
}

/** The kinds of evidence the API accepts, in the API's order. */
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

export const confidentialityLevels = ['public', 'internal', 'restricted'] as const;

export type LinkTargetType = 'catalogue_item' | 'ai_system' | 'risk' | 'document' | 'assessment';

/** Labels of the record types evidence can support, as the screen shows them. */
export const linkTargetLabels: Record<LinkTargetType, string> = {
  catalogue_item: 'Control or clause',
  ai_system: 'AI system',
  risk: 'Risk',
  document: 'Document',
  assessment: 'Assessment',
};

export const linkTargetTypes = Object.keys(linkTargetLabels) as LinkTargetType[];

export interface EvidenceFilters {
  q: string;
  kind: string;
  linkedTo: string;
  expiresWithinDays: string;
  page: number;
}

export const evidencePageSize = 25;

export function useEvidenceList(filters: EvidenceFilters) {
  const query = {
    q: filters.q,
    kind: filters.kind,
    linkedTo: filters.linkedTo,
    expiresWithinDays: filters.expiresWithinDays,
    sort: 'title',
    limit: evidencePageSize,
    offset: (filters.page - 1) * evidencePageSize,
  };
  return useQuery({
    queryKey: ['evidence', 'list', query],
    queryFn: ({ signal }) => api<Page<Evidence>>(apiPath('/evidence', query), { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useEvidence(id: string | null) {
  return useQuery({
    queryKey: ['evidence', 'one', id],
    queryFn: ({ signal }) => api<Evidence>(`/evidence/${encodeURIComponent(id!)}`, { signal }),
    enabled: id !== null,
  });
}

interface Person {
  id: string;
  name: string;
}

/** Names of people by id, for "collected by"; the API returns at most 500 per page, which covers an organization's governance staff. */
export function usePeopleNames() {
  return useQuery({
    queryKey: ['people', 'names'],
    queryFn: async ({ signal }) => {
      const page = await api<Page<Person>>(apiPath('/people', { limit: 500, sort: 'name' }), { signal });
      return new Map(page.items.map((person) => [person.id, person.name]));
    },
    staleTime: 5 * 60_000,
  });
}

/** A record that evidence can be linked to, as the link picker offers it. */
export interface LinkTargetOption {
  value: string;
  label: string;
}

/** Searches the records of one target type by text, through each type's own list endpoint. */
export async function searchLinkTargets(targetType: LinkTargetType, text: string, signal?: AbortSignal): Promise<LinkTargetOption[]> {
  const q = text.trim() || undefined;
  switch (targetType) {
    case 'catalogue_item': {
      const page = await api<Page<{ ref: string; title: string }>>(apiPath('/catalogue/items', { q, assessable: true, limit: 20 }), { signal });
      return page.items.map((item) => ({ value: item.ref, label: `${item.ref} ${item.title}` }));
    }
    case 'ai_system': {
      const page = await api<Page<{ id: string; name: string }>>(apiPath('/ai-systems', { q, limit: 20 }), { signal });
      return page.items.map((system) => ({ value: system.id, label: system.name }));
    }
    case 'risk': {
      const page = await api<Page<{ id: string; title: string }>>(apiPath('/risks', { q, limit: 20 }), { signal });
      return page.items.map((risk) => ({ value: risk.id, label: risk.title }));
    }
    case 'document': {
      const page = await api<Page<{ id: string; title: string }>>(apiPath('/documents', { q, limit: 20 }), { signal });
      return page.items.map((document) => ({ value: document.id, label: document.title }));
    }
    case 'assessment': {
      const page = await api<Page<{ id: string; title: string }>>(apiPath('/assessments', { limit: 50 }), { signal });
      const needle = text.trim().toLowerCase();
      return page.items.filter((assessment) => assessment.title.toLowerCase().includes(needle)).map((assessment) => ({ value: assessment.id, label: assessment.title }));
    }
  }
}

/** Returns the path of the screen that shows a linked record, or undefined where none does. */
export function linkTargetPath(link: Pick<EvidenceLink, 'targetType' | 'targetId'>): string | undefined {
  switch (link.targetType) {
    case 'ai_system':
      return `/ai-systems/${encodeURIComponent(link.targetId)}`;
    case 'risk':
      return `/risks/${encodeURIComponent(link.targetId)}`;
    case 'catalogue_item':
      return link.targetId.startsWith('iso42001:A.') ? '/soa' : undefined;
    default:
      return undefined;
  }
}

/** The largest file the server accepts, from GET /api/evidence/upload-limit; it changes only with the server's configuration. */
export function useUploadLimit() {
  return useQuery({
    queryKey: ['evidence', 'upload-limit'],
    queryFn: () => api<{ maxFileBytes: number }>('/evidence/upload-limit'),
    staleTime: Infinity,
  });
}
