/**
 * Row types of every table, as Kysely types them. Timestamps are ISO 8601 UTC strings and
 * booleans are 0 or 1 on both databases, so rows read the same from SQLite and PostgreSQL.
 * JSON columns hold text written by JSON.stringify.
 */

/** Columns every governed record carries: the version drives ETags and optimistic concurrency. */
interface Versioned {
  id: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface OrganizationTable extends Versioned {
  name: string;
  description: string;
  scope_statement: string;
  /** JSON array of strings: organizational, physical and technical boundaries of the AIMS. */
  scope_boundaries: string;
}

export interface InterestedPartyTable extends Versioned {
  name: string;
  category: string;
  /** JSON array of strings: the requirements of this party that are relevant to the AIMS. */
  relevant_requirements: string;
  addressed_through: string;
}

export interface PersonTable extends Versioned {
  name: string;
  email: string | null;
  job_title: string;
  reports_to_id: string | null;
  is_board_member: number;
}

export interface TeamTable extends Versioned {
  name: string;
  kind: string;
  purpose: string;
  chair_id: string | null;
}

export interface TeamMemberTable {
  team_id: string;
  person_id: string;
}

export interface RoleAssignmentTable extends Versioned {
  person_id: string;
  role: string;
  /** The AI system the role is held for; null when it is held for the whole organization. */
  ai_system_id: string | null;
}

export interface RaciAssignmentTable extends Versioned {
  ai_system_id: string;
  activity: string;
  responsibility: string;
  person_id: string | null;
  team_id: string | null;
}

export interface AiSystemTable extends Versioned {
  name: string;
  purpose: string;
  intended_use: string;
  foreseeable_misuse: string;
  business_unit: string;
  owner_id: string | null;
  lifecycle_stage: string;
  organization_role: string;
  /** JSON array of deployment environment names. */
  deployment_environments: string;
  autonomy: string;
  /** JSON array of strings naming the people and groups the system affects. */
  affected_groups: string;
  decision_domain: string;
  in_scope: number;
  scope_justification: string;
  legal_basis: string;
  impact_assessment_status: string;
  published_at: string | null;
  source_url: string | null;
  external_id: string | null;
}

export interface LifecycleTransitionTable {
  id: string;
  ai_system_id: string;
  from_stage: string;
  to_stage: string;
  actor_id: string;
  reason: string;
  occurred_at: string;
}

export interface ThirdPartyComponentTable extends Versioned {
  name: string;
  vendor: string;
  kind: string;
  licence: string;
  component_version: string;
  source_url: string | null;
}

export interface ModelTable extends Versioned {
  name: string;
  description: string;
  third_party_component_id: string | null;
}

export interface ModelVersionTable extends Versioned {
  model_id: string;
  version_label: string;
  description: string;
}

export interface DatasetTable extends Versioned {
  name: string;
  description: string;
  source: string;
  contains_personal_data: number;
  third_party_component_id: string | null;
}

export interface DatasetVersionTable extends Versioned {
  dataset_id: string;
  version_label: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
  size_bytes: number;
  location: string;
}

export interface ModelTrainingDataTable {
  model_version_id: string;
  dataset_version_id: string;
  purpose: string;
}

export interface AiSystemModelVersionTable {
  ai_system_id: string;
  model_version_id: string;
  environment: string;
}

export interface UserTable extends Versioned {
  username: string;
  display_name: string;
  password_hash: string;
  person_id: string | null;
  active: number;
}

export interface UserRoleTable {
  user_id: string;
  role: string;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  role: string;
  name: string;
  /** Hex SHA-256 of the token; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface SessionTable {
  /** Hex SHA-256 of the cookie value. */
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface AuditEventTable {
  seq: number;
  occurred_at: string;
  actor_id: string;
  action: string;
  record_type: string;
  record_id: string;
  /** Canonical JSON (RFC 8785) of the record before the change, or null. */
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  request_id: string | null;
  previous_hash: string;
  hash: string;
}

export interface Tables {
  organization: OrganizationTable;
  interested_parties: InterestedPartyTable;
  people: PersonTable;
  teams: TeamTable;
  team_members: TeamMemberTable;
  role_assignments: RoleAssignmentTable;
  raci_assignments: RaciAssignmentTable;
  ai_systems: AiSystemTable;
  lifecycle_transitions: LifecycleTransitionTable;
  third_party_components: ThirdPartyComponentTable;
  models: ModelTable;
  model_versions: ModelVersionTable;
  datasets: DatasetTable;
  dataset_versions: DatasetVersionTable;
  model_training_data: ModelTrainingDataTable;
  ai_system_model_versions: AiSystemModelVersionTable;
  users: UserTable;
  user_roles: UserRoleTable;
  api_tokens: ApiTokenTable;
  sessions: SessionTable;
  audit_events: AuditEventTable;
}
