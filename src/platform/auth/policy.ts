import { AppError } from '../errors.js';
import type { Caller } from './caller.js';
import type { Role } from './roles.js';

/**
 * The authorization rulebook: which roles may do what. Every role may read the register;
 * changes need one of the roles listed. The internal auditor appears only under read
 * permissions, so it can read everything and change nothing.
 */
const rules = {
  'register.read': ['administrator', 'ai_system_owner', 'risk_owner', 'validator', 'approver', 'data_protection_officer', 'internal_auditor', 'oversight_board_member'],
  'ai_systems.write': ['administrator', 'ai_system_owner'],
  'organization.write': ['administrator', 'oversight_board_member'],
  'people.write': ['administrator'],
  'inventory.write': ['administrator', 'ai_system_owner', 'validator'],
  'users.manage': ['administrator'],
  'users.read': ['administrator', 'internal_auditor'],
  // Listing one's own API tokens; administrators (users.manage) see everyone's.
  'api_tokens.manage_own': ['administrator', 'ai_system_owner', 'risk_owner', 'validator', 'approver', 'data_protection_officer', 'internal_auditor', 'oversight_board_member'],
  'audit.read': ['administrator', 'internal_auditor', 'oversight_board_member', 'data_protection_officer'],
  // The organization's own controls beside the built-in catalogue.
  'catalogue.write': ['administrator', 'risk_owner'],
  // Editing a Statement of Applicability draft; approving one also needs someone who did not edit it.
  'soa.write': ['administrator', 'risk_owner'],
  'soa.approve': ['administrator', 'approver', 'oversight_board_member'],
  // Writing documents and their drafts; approving or retiring one needs documents.approve, and
  // approving also needs someone who neither authored nor edited the version.
  'documents.write': ['administrator', 'risk_owner', 'data_protection_officer', 'ai_system_owner'],
  'documents.approve': ['administrator', 'approver', 'oversight_board_member'],
  // AI objectives (clause 6.2) and the KPI values recorded for them.
  'objectives.write': ['administrator', 'risk_owner', 'oversight_board_member'],
  // Uploading, replacing, describing, linking and deleting evidence.
  'evidence.write': ['administrator', 'ai_system_owner', 'risk_owner', 'validator', 'data_protection_officer'],
  // Downloading the file of restricted evidence. Its uploader may too, and every reader sees its metadata.
  'evidence.read_restricted': ['administrator', 'internal_auditor', 'data_protection_officer', 'oversight_board_member'],
  // Reading the text of restricted documents, beside the people who wrote the version.
  'documents.read_restricted': ['administrator', 'internal_auditor', 'data_protection_officer', 'oversight_board_member'],
  // Running gap assessments and mock audits, and raising and tracking their remediation actions.
  'assessments.write': ['administrator', 'risk_owner', 'validator'],
  // Adding and changing risks, their ratings and treatments, and importing the register.
  'risks.write': ['administrator', 'risk_owner', 'ai_system_owner'],
  // Calibrating the matrix, stating appetite, escalation paths, ERM mapping and acceptance authority.
  'risks.configure': ['administrator', 'oversight_board_member'],
  // Accepting residual risk; the acceptance authority table then decides up to which band.
  'risks.accept': ['administrator', 'ai_system_owner', 'risk_owner', 'validator', 'approver', 'data_protection_officer', 'oversight_board_member'],
  // Resolving an escalation; only holders of the role the escalation names may.
  'risks.resolve_escalation': ['administrator', 'ai_system_owner', 'risk_owner', 'validator', 'approver', 'data_protection_officer', 'oversight_board_member'],
  // Threat models of AI systems, and red-team exercises and independent reviews with their findings.
  'threats.write': ['administrator', 'risk_owner', 'ai_system_owner', 'validator'],
  // Writing AI system impact assessments, their impacts, risk links and Canada AIA answers.
  'impact_assessments.write': ['administrator', 'risk_owner', 'ai_system_owner', 'data_protection_officer'],
  // Approving an impact assessment; the approver must also have neither authored nor edited it.
  'impact_assessments.approve': ['administrator', 'approver', 'risk_owner', 'data_protection_officer'],
  // Drafting and recomputing classifications of AI systems (EU AI Act tier, GDPR triggers, impact level).
  'classification.write': ['administrator', 'risk_owner', 'ai_system_owner'],
  // Approving a classification, which also needs someone who did not draft it, and changing the classification settings.
  'classification.approve': ['administrator', 'risk_owner'],
  // Reading measurement runs, KPI series and monitoring tasks.
  'measurements.read': ['administrator', 'ai_system_owner', 'risk_owner', 'validator', 'approver', 'data_protection_officer', 'internal_auditor', 'oversight_board_member'],
  // Recording measurement runs: the roles that build and validate models (system owner, validator), the risk owner who governs them, and administrators.
  'measurements.write': ['administrator', 'ai_system_owner', 'validator', 'risk_owner'],
  // Closing a monitoring task that a control chart breach opened: the system's owner role or the risk owner.
  'monitoring_tasks.close': ['administrator', 'ai_system_owner', 'risk_owner'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof rules;

/** The roles that grant a permission, for messages that tell the caller whom to ask. */
export function rolesWith(permission: Permission): readonly Role[] {
  return rules[permission];
}

/** Every permission the caller's roles grant, in the rulebook's order; the web app shows and hides actions by it. */
export function permissionsOf(caller: Caller): Permission[] {
  return (Object.keys(rules) as Permission[]).filter((permission) => can(caller, permission));
}

export function can(caller: Caller, permission: Permission): boolean {
  const allowed: readonly Role[] = rules[permission];
  return caller.roles.some((role) => allowed.includes(role));
}

/** Throws FORBIDDEN unless one of the caller's roles grants the permission. */
export function authorize(caller: Caller, permission: Permission): void {
  if (can(caller, permission)) return;
  const allowed: readonly Role[] = rules[permission];
  throw new AppError(
    'FORBIDDEN',
    `${caller.username} (roles: ${caller.roles.join(', ') || 'none'}) may not perform ${permission}; it needs one of the roles ${allowed.join(', ')}`,
  );
}
