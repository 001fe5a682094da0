import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, apiPath, type Page } from '../api/client';

/** An audit event as GET /api/audit-events returns it. */
export interface AuditEvent {
  seq: number;
  occurredAt: string;
  actorId: string;
  action: string;
  recordType: string;
  recordId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
  previousHash: string;
  hash: string;
}

/** The result of POST /api/audit-events/verify. */
export interface ChainVerification {
  ok: boolean;
  eventsChecked: number;
  headSeq: number;
  headHash: string;
  failure: { seq: number; kind: 'edited' | 'deleted' | 'inserted' | 'reordered'; message: string } | null;
}

export interface AuditFilters {
  recordType: string;
  recordId: string;
  actorId: string;
  action: string;
  /** First day shown, YYYY-MM-DD in the browser's time zone. */
  from: string;
  /** Last day shown, inclusive. */
  to: string;
  page: number;
}

export const auditPageSize = 50;

/** Record types the filter suggests; any other type can be typed, as the API matches the text exactly. */
export const suggestedRecordTypes = [
  'ai_system',
  'assessment',
  'assessment_answer',
  'classification',
  'document',
  'evidence',
  'impact_assessment',
  'measurement_run',
  'objective',
  'organization',
  'person',
  'risk',
  'risk_treatment',
  'soa_entry',
  'soa_version',
  'user',
];

/** Midnight at the start of a YYYY-MM-DD day in the browser's time zone, as an ISO instant; `days` moves it. */
export function startOfLocalDay(date: string, days = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).toISOString();
}

export function useAuditEvents(filters: AuditFilters) {
  const query = {
    recordType: filters.recordType,
    recordId: filters.recordId,
    actorId: filters.actorId,
    action: filters.action,
    occurredFrom: startOfLocalDay(filters.from),
    // The "to" day is inclusive, so the bound is the start of the next day.
    occurredTo: startOfLocalDay(filters.to, 1),
    limit: auditPageSize,
    offset: (filters.page - 1) * auditPageSize,
  };
  return useQuery({
    queryKey: ['audit-events', 'list', query],
    queryFn: ({ signal }) => api<Page<AuditEvent>>(apiPath('/audit-events', query), { signal }),
    placeholderData: keepPreviousData,
  });
}

interface User {
  id: string;
  username: string;
  displayName: string;
}

/**
 * Every account as "display name (username)" by user id, for the actor filter. Only roles with
 * users.read may list users, so the others filter by a typed user id.
 */
export function useActorOptions(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'actor-options'],
    queryFn: async ({ signal }) => {
      const page = await api<Page<User>>(apiPath('/users', { limit: 500 }), { signal });
      return new Map(page.items.map((user) => [user.id, user.displayName ? `${user.displayName} (${user.username})` : user.username]));
    },
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** Returns the path of the screen that shows an event's record, or undefined where none does. */
export function recordPath(event: Pick<AuditEvent, 'recordType' | 'recordId' | 'before' | 'after'>): string | undefined {
  const id = encodeURIComponent(event.recordId);
  switch (event.recordType) {
    case 'ai_system':
      return `/ai-systems/${id}`;
    case 'risk':
      return `/risks/${id}`;
    case 'measurement_run':
      return `/measurements/${id}`;
    case 'evidence':
      return `/evidence?id=${id}`;
    case 'soa_version':
    case 'soa_entry':
      return '/soa';
    case 'assessment':
    case 'assessment_answer':
      return '/gap-assessment';
  }
  // Records that belong to an AI system or a risk name it in their images.
  const image = (event.after ?? event.before) as Record<string, unknown> | null;
  if (image && typeof image === 'object') {
    if (typeof image.riskId === 'string') return `/risks/${encodeURIComponent(image.riskId)}`;
    if (typeof image.aiSystemId === 'string') return `/ai-systems/${encodeURIComponent(image.aiSystemId)}`;
  }
  return undefined;
}
