import { humanize } from '../components/badges';
import { formatDate as formatDay, formatDateTime as formatMoment } from '../components/format';

/** Words and formats the register screens share. */

export const stageLabel = (stage: string): string => humanize(stage).replace(/^./, (first) => first.toUpperCase());

export function formatDate(value: string | null | undefined): string {
  return value ? formatDay(value) : '—';
}

export function formatDateTime(value: string | null | undefined): string {
  return value ? formatMoment(value) : '—';
}

/** The watched inputs of a classification, as the stale flag names them. */
export const inputLabels: Record<string, string> = {
  purpose: 'purpose',
  decisionDomain: 'decision domain',
  dataSources: 'data sources',
  deploymentEnvironments: 'deployment environments',
  modelVersions: 'model versions',
  affectedGroups: 'affected groups',
  autonomy: 'autonomy',
  organizationRole: "organization's role",
};
