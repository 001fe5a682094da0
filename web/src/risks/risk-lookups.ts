import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { RiskCategory, RiskMatrix } from './risk-types';

/** The active matrix and the categories that risk forms choose from; each read once and shared by the screens. */
export function useRiskLookups() {
  const matrix = useQuery({ queryKey: ['risk-matrix'], queryFn: () => api<RiskMatrix>('/risks/matrix'), staleTime: 60_000 });
  const categories = useQuery({ queryKey: ['risk-categories'], queryFn: () => api<RiskCategory[]>('/risks/categories'), staleTime: 60_000 });
  return { matrix, categories };
}
