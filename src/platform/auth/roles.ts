/**
 * The roles a person can hold in the AI management system. A user account acts with one or
 * more of them, and an API token with exactly one.
 */
export const roles = [
  'administrator',
  'ai_system_owner',
  'risk_owner',
  'validator',
  'approver',
  'data_protection_officer',
  'internal_auditor',
  'oversight_board_member',
] as const;

export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
