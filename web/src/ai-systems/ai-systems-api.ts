import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, apiPath, type Page, type Query } from '../api/client';

/** Types and queries of the AI system register as the public API returns it. */

export interface LinkedClassification {
  id: string;
  number: number;
  status: 'draft' | 'approved' | 'superseded';
  tier: string;
  impactLevel: string;
  stale: boolean;
  staleSince: string | null;
  staleInputs: string[];
}

export interface AiSystem {
  id: string;
  name: string;
  purpose: string;
  intendedUse: string;
  foreseeableMisuse: string;
  businessUnit: string;
  ownerId: string | null;
  lifecycleStage: string;
  organizationRole: string;
  deploymentEnvironments: string[];
  autonomy: string;
  affectedGroups: string[];
  decisionDomain: string;
  inScope: boolean;
  scopeJustification: string;
  legalBasis: string;
  impactAssessmentStatus: string;
  publishedAt: string | null;
  sourceUrl: string | null;
  externalId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  classification: LinkedClassification | null;
}

export interface ValueCount {
  value: string;
  count: number;
}

export interface AiSystemFacets {
  total: number;
  lifecycleStages: ValueCount[];
  businessUnits: ValueCount[];
  owners: { personId: string; name: string; count: number }[];
  classificationTiers: ValueCount[];
  unclassified: number;
  stale: number;
}

export interface LifecycleTransition {
  id: string;
  fromStage: string;
  toStage: string;
  actorId: string;
  reason: string;
  occurredAt: string;
}

export const aiSystemsKey = ['ai-systems'] as const;
export const aiSystemKey = (id: string) => ['ai-system', id] as const;

/**
 * Reads one page of the register. The previous page stays on screen while the next one loads, so
 * paging, sorting and filtering never blank the table.
 */
export function useAiSystemPage(query: Query) {
  return useQuery({
    queryKey: [...aiSystemsKey, 'page', query],
    queryFn: ({ signal }) => api<Page<AiSystem>>(apiPath('/ai-systems', query), { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useAiSystemFacets() {
  return useQuery({ queryKey: [...aiSystemsKey, 'facets'], queryFn: () => api<AiSystemFacets>('/ai-systems/facets'), staleTime: 60_000 });
}

export function useAiSystem(id: string) {
  return useQuery({ queryKey: aiSystemKey(id), queryFn: () => api<AiSystem>(`/ai-systems/${encodeURIComponent(id)}`) });
}

export function useLifecycleTransitions(id: string) {
  return useQuery({
    queryKey: [...aiSystemKey(id), 'lifecycle-transitions'],
    queryFn: () => api<LifecycleTransition[]>(`/ai-systems/${encodeURIComponent(id)}/lifecycle-transitions`),
  });
}
