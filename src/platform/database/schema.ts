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

export interface CatalogueFrameworkTable {
  /** Short stable id used in item refs, such as `iso42001` or `nist-ai-rmf`. */
  id: string;
  name: string;
  /** Edition or version of the source the items come from. */
  edition: string;
  kind: string;
  publisher: string;
  source: string;
  notice: string;
  /** 1 for frameworks loaded from the repository's catalogue files; 0 for the organization's own. */
  built_in: number;
  /** Hex SHA-256 of the catalogue file last loaded, or null for the organization's own controls. */
  content_hash: string | null;
  loaded_at: string;
}

export interface CatalogueItemTable {
  /** `<framework id>:<item id>`, the key every other table links to. */
  ref: string;
  framework_id: string;
  item_id: string;
  parent_ref: string | null;
  kind: string;
  title: string;
  summary: string;
  evidence_guidance: string;
  /** What documented information the item requires, or null when it requires none. */
  documented_information: string | null;
  assessable: number;
  /** Risk weight 1 (low) to 3 (high) that orders remediation of a gap in this item. */
  weight: number;
  /** JSON object of further facts a framework records, such as the roles an obligation applies to. */
  attributes: string;
  position: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CrosswalkTable {
  id: string;
  from_framework_id: string;
  to_framework_id: string;
  title: string;
  edition: string;
  publisher: string;
  source: string;
  notes: string;
  content_hash: string;
  loaded_at: string;
}

export interface CrosswalkPairTable {
  crosswalk_id: string;
  from_ref: string;
  to_ref: string;
  position: number;
}

export interface SoaVersionTable extends Versioned {
  /** 1, 2, 3 … in order of creation. */
  number: number;
  status: string;
  title: string;
  based_on_id: string | null;
  created_by: string;
  approved_by: string | null;
  approved_at: string | null;
  approval_comment: string | null;
}

export interface SoaEntryTable {
  soa_version_id: string;
  control_ref: string;
  decision: string;
  justification: string;
  /** JSON array of the grounds an inclusion rests on, such as risk_treatment or legal_requirement. */
  basis: string;
  /** JSON array of catalogue refs of the obligations that require the control. */
  requirement_refs: string;
  implementation_status: string | null;
  owner_person_id: string | null;
  notes: string;
  /** User ids of everyone who changed the entry in this version, as a JSON array. */
  changed_by: string;
  version: number;
  updated_at: string;
}

export interface EvidenceTable extends Versioned {
  title: string;
  kind: string;
  description: string;
  collected_at: string;
  collected_by_person_id: string | null;
  /** Last day (YYYY-MM-DD) the evidence counts as current, or null when it does not expire. */
  valid_until: string | null;
  confidentiality: string;
  /** Hex SHA-256 of the file, which is also its path in the content-addressed store. */
  sha256: string;
  size_bytes: number;
  media_type: string;
  /** The file name the client sent, kept as metadata only; it never becomes a path. */
  file_name: string;
  uploaded_by: string;
}

/** A link from evidence to a record it supports. The target types are listed in src/evidence/link-targets.ts. */
export interface EvidenceLinkTable {
  evidence_id: string;
  target_type: string;
  /** Id of the target, or its catalogue ref when target_type is catalogue_item. */
  target_id: string;
  /** Copy of target_id for catalogue items only, so that a foreign key keeps linked items from being deleted. */
  catalogue_item_ref: string | null;
  created_at: string;
  /** User id of whoever made the link. */
  created_by: string;
}

export interface EvidenceTables {
  evidence: EvidenceTable;
  evidence_links: EvidenceLinkTable;
}

export interface AssessmentTable extends Versioned {
  title: string;
  description: string;
  /** gap (every item in scope) or mock_audit (a seeded random sample of controls). */
  mode: string;
  include_organization_controls: number;
  /** Maturity level 1 to 5 that the organization aims for; items below it are gaps. */
  target_level: number;
  status: string;
  lead_assessor_person_id: string | null;
  /** Number of controls a mock audit sampled; null for a gap assessment. */
  sample_size: number | null;
  /** Seed (0 to 2^32 - 1) of the sample; the same seed over the same controls draws the same sample. */
  sample_seed: number | null;
  started_at: string;
  completed_at: string | null;
  /** User id of the creator. */
  created_by: string;
}

export interface AssessmentAnswerTable {
  assessment_id: string;
  item_ref: string;
  /** Order of the item in the questionnaire, from the catalogue order at creation. */
  position: number;
  /** Top-level clause or Annex A group the item rolls up into; null for the organization's own controls. */
  section_ref: string | null;
  /** The item's catalogue weight when the assessment was created, kept so that later catalogue changes leave scores alone. */
  catalogue_weight: number;
  weight_override: number | null;
  maturity: number | null;
  not_applicable: number;
  not_applicable_reason: string | null;
  comment: string;
  effort: string | null;
  finding: string | null;
  finding_text: string;
  answered_by: string | null;
  answered_at: string | null;
  version: number;
  updated_at: string;
}

export interface AssessmentAnswerEvidenceTable {
  assessment_id: string;
  item_ref: string;
  evidence_id: string;
}

export interface RemediationActionTable extends Versioned {
  assessment_id: string;
  item_ref: string;
  title: string;
  description: string;
  owner_person_id: string;
  /** YYYY-MM-DD. */
  due_date: string;
  status: string;
  /** Gap, effective weight and priority (gap times weight) when the action was raised. */
  gap: number;
  weight: number;
  priority: number;
  created_by: string;
  done_at: string | null;
}

// Gap and maturity assessment tables.
export interface AssessmentTables {
  assessments: AssessmentTable;
  assessment_answers: AssessmentAnswerTable;
  assessment_answer_evidence: AssessmentAnswerEvidenceTable;
  remediation_actions: RemediationActionTable;
}

export interface DocumentTable extends Versioned {
  title: string;
  kind: string;
  /** 1 for the AI policy; at most one document that is not retired carries it. */
  is_ai_policy: number;
  owner_person_id: string;
  review_interval_months: number;
  /** YYYY-MM-DD; set on approval to the approval date plus the review interval, and editable. */
  next_review_date: string | null;
  status: string;
  retention_months: number;
  confidentiality: string;
  /** The approved version in force, or null before the first approval. */
  current_version_id: string | null;
  created_by: string;
  retired_at: string | null;
  retired_by: string | null;
  retirement_reason: string | null;
}

export interface DocumentVersionTable extends Versioned {
  document_id: string;
  /** 1, 2, 3 … within the document, in order of creation. */
  number: number;
  status: string;
  content: string;
  change_summary: string;
  author_id: string;
  /** JSON array of the user ids, other than the author, who changed the draft. */
  editor_ids: string;
  /** Evidence record holding a file rendering of this version, if any. */
  evidence_id: string | null;
  /** The approved version this draft started from. */
  based_on_id: string | null;
  approved_by: string | null;
  approved_at: string | null;
  approval_comment: string | null;
}

export interface DocumentLinkTable {
  document_id: string;
  catalogue_ref: string;
}

export interface ObjectiveTable extends Versioned {
  title: string;
  description: string;
  metric_name: string;
  target_value: number;
  unit: string;
  direction: string;
  /** The value of the latest measurement, or null before the first one. */
  current_value: number | null;
  measured_at: string | null;
  owner_person_id: string;
  /** YYYY-MM-DD */
  due_date: string;
  status: string;
  created_by: string;
}

export interface ObjectiveLinkTable {
  objective_id: string;
  catalogue_ref: string;
}

export interface ObjectiveAiSystemTable {
  objective_id: string;
  ai_system_id: string;
}

export interface ObjectiveMeasurementTable {
  id: string;
  objective_id: string;
  value: number;
  measured_at: string;
  note: string;
  recorded_by: string;
  recorded_at: string;
}

// Documents, the documented information register and AI objectives: filled in by the documents area.
export interface DocumentTables {
  documents: DocumentTable;
  document_versions: DocumentVersionTable;
  document_links: DocumentLinkTable;
  objectives: ObjectiveTable;
  objective_links: ObjectiveLinkTable;
  objective_ai_systems: ObjectiveAiSystemTable;
  objective_measurements: ObjectiveMeasurementTable;
}

export interface Tables extends EvidenceTables, AssessmentTables, DocumentTables {
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
  catalogue_frameworks: CatalogueFrameworkTable;
  catalogue_items: CatalogueItemTable;
  crosswalks: CrosswalkTable;
  crosswalk_pairs: CrosswalkPairTable;
  soa_versions: SoaVersionTable;
  soa_entries: SoaEntryTable;
}
