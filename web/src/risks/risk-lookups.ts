import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../api/client';
import type { RiskCategory, RiskMatrix } from './risk-types';

export interface Person {
  id: string;
  name: string;
}

/** The active matrix, the categories and the people that risk forms choose from; each read once and shared by the screens. */
export function useRiskLookups() {
  const matrix = useQuery({ queryKey: ['risk-matrix'], queryFn: () => api<RiskMatrix>('/risks/matrix'), staleTime: 60_000 });
  const categories = useQuery({ queryKey: ['risk-categories'], queryFn: () => api<RiskCategory[]>('/risks/categories'), staleTime: 60_000 });
  // NOTE: the form offers the first 500 people by name, the API's largest page.
  const people = useQuery({ queryKey: ['people', 'all'], queryFn: () => api<Page<Person>>('/people?limit=500'), staleTime: 60_000 });
  return { matrix, categories, people };
}
