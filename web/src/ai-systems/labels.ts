import { humanize } from '../components/badges';

/** Words and formats the register screens share. */

export const stageLabel = (stage: string): string => humanize(stage).replace(/^./, (first) => first.toUpperCase());

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

export function formatDate(value: string | null | undefined): string {
  return value ? dateFormat.format(new Date(value)) : '—';
}

export function formatDateTime(value: string | null | undefined): string {
  return value ? dateTimeFormat.format(new Date(value)) : '—';
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
