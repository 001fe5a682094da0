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
  /** Description of the documented information the item requires, or null when it requires none. */
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
  /**
   * JSON of the entry as shown at approval, with titles, the owner's name, evidence and risks, so
   * that an approved version never changes. Null while the version is a draft.
   */
  approved_view: string | null;
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
  /** User id of the user who made the link. */
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

/** One version of the likelihood × impact matrix; JSON columns as described in src/risks/matrix.ts. */
export interface RiskMatrixTable extends Versioned {
  number: number;
  status: string;
  likelihood_size: number;
  impact_size: number;
  /** JSON array of { level, label, definition }, one per likelihood level from 1. */
  likelihood_levels: string;
  /** JSON array of { level, label, definition }, one per impact level from 1. */
  impact_levels: string;
  /** JSON array of { key, label, order }, order 1 being the lowest band. */
  bands: string;
  /** JSON array of arrays: cells[likelihood - 1][impact - 1] is the band key of that cell. */
  cells: string;
  change_summary: string;
  created_by: string;
}

export interface RiskCategoryTable extends Versioned {
  label: string;
  description: string;
  is_builtin: number;
  escalate_to_role: string;
  escalation_deadline_days: number;
  erm_category: string | null;
}

export interface RiskAppetiteTable extends Versioned {
  category_id: string;
  statement: string;
  /** The highest likelihood × impact score within appetite. */
  max_score: number;
  set_by: string;
}

export interface RiskTable extends Versioned {
  title: string;
  description: string;
  /** Null for an organization-wide risk. */
  ai_system_id: string | null;
  risk_source_ref: string;
  threat: string | null;
  objective_ref: string;
  category_id: string;
  owner_person_id: string;
  inherent_likelihood: number | null;
  inherent_impact: number | null;
  inherent_band: string | null;
  inherent_matrix_id: string | null;
  residual_likelihood: number | null;
  residual_impact: number | null;
  residual_band: string | null;
  residual_matrix_id: string | null;
  status: string;
  beyond_appetite: number;
  created_by: string;
}

export interface RiskTreatmentTable extends Versioned {
  risk_id: string;
  option: string;
  description: string;
  owner_person_id: string;
  due_date: string;
  success_metric: string;
  status: string;
  completed_at: string | null;
  created_by: string;
}

export interface RiskTreatmentControlTable {
  treatment_id: string;
  catalogue_ref: string;
}

export interface RiskEscalationTable extends Versioned {
  risk_id: string;
  category_id: string;
  score: number;
  max_score: number;
  band: string;
  escalate_to_role: string;
  opened_by: string;
  due_date: string;
  status: string;
  resolved_at: string | null;
  resolved_by: string | null;
  outcome: string | null;
  resolution_note: string | null;
}

export interface RiskAcceptanceAuthorityTable {
  role: string;
  max_band_order: number;
  updated_at: string;
  updated_by: string;
}

export interface RiskAcceptanceTable {
  id: string;
  risk_id: string;
  matrix_id: string;
  likelihood: number;
  impact: number;
  band: string;
  band_order: number;
  accepted_by: string;
  accepted_by_username: string;
  authority_role: string;
  rationale: string;
  review_date: string | null;
  accepted_at: string;
}

// Risk register tables: filled in by the risk area.
export interface RiskTables {
  risk_matrices: RiskMatrixTable;
  risk_categories: RiskCategoryTable;
  risk_appetites: RiskAppetiteTable;
  risks: RiskTable;
  risk_treatments: RiskTreatmentTable;
  risk_treatment_controls: RiskTreatmentControlTable;
  risk_escalations: RiskEscalationTable;
  risk_acceptance_authorities: RiskAcceptanceAuthorityTable;
  risk_acceptances: RiskAcceptanceTable;
}

// Classification and re-evaluation tables: filled in by the classification area.
export interface ClassificationTable extends Versioned {
  ai_system_id: string;
  /** 1, 2, 3 … per AI system, in order of creation. */
  number: number;
  /** draft, approved (the current classification), or superseded by a later approval. */
  status: string;
  /** The organization's role the obligations were picked for. */
  role: string;
  /** request when the role was given with the answers, ai_system when it came from the AI system record. */
  role_source: string;
  /** JSON object of question id to option id or list of option ids. */
  answers: string;
  /** JSON snapshot of the AI system facts the classification used. */
  inputs: string;
  /** JSON of the tier, traces, obligations, GDPR triggers and impact level. */
  result: string;
  tier: string;
  impact_level: string;
  dpia_required: number;
  art22_applies: number;
  stale: number;
  stale_since: string | null;
  /** JSON array of the inputs that changed since the classification was computed. */
  stale_inputs: string;
  created_by: string;
  /** JSON array of the user ids that created or recomputed the draft; none of them may approve it. */
  author_ids: string;
  approved_by: string | null;
  approved_at: string | null;
  approval_comment: string | null;
}

export interface ClassificationReviewTable extends Versioned {
  ai_system_id: string;
  /** The classification that became stale and is to be reviewed. */
  classification_id: string;
  /** open or done. */
  status: string;
  /** The role expected to do the review. */
  assigned_role: string;
  /** Date (YYYY-MM-DD, UTC) by which the review is due. */
  due_date: string;
  /** JSON array of the inputs whose change opened the review, growing while it stays open. */
  changed_inputs: string;
  opened_at: string;
  closed_at: string | null;
  closed_by: string | null;
  /** The approved classification that closed the review. */
  closed_by_classification_id: string | null;
}

export interface ClassificationSettingsTable {
  id: string;
  /** 1, 2, 3 … ; the highest number is in force. */
  number: number;
  review_due_days: number;
  /** JSON of the impact configuration (points, thresholds, escalations), or null for the built-in rules. */
  impact_configuration: string | null;
  comment: string | null;
  created_by: string;
  created_at: string;
}

export interface ClassificationTables {
  classifications: ClassificationTable;
  classification_reviews: ClassificationReviewTable;
  classification_settings: ClassificationSettingsTable;
}

export interface ThreatModelTable extends Versioned {
  /** Each AI system has at most one threat model. */
  ai_system_id: string;
  title: string;
  scope: string;
  /** draft, or reviewed when the current version is the one reviewed_version names. */
  status: string;
  /** JSON array of the user ids who changed the model since its last review (its creator first). */
  edited_by: string;
  /** The last review, kept when later changes return the model to draft. */
  reviewed_by: string | null;
  reviewed_at: string | null;
  reviewed_version: number | null;
  review_comment: string | null;
  created_by: string;
}

export interface ThreatModelAssetTable {
  threat_model_id: string;
  /** Short name that scenarios use to target the asset, unique within the threat model. */
  asset_key: string;
  position: number;
  name: string;
  kind: string;
  description: string;
}

export interface ThreatScenarioTable {
  id: string;
  threat_model_id: string;
  position: number;
  title: string;
  /** Catalogue ref of a threat library item (MITRE ATLAS or an OWASP Top 10). */
  threat_ref: string;
  description: string;
  likelihood_note: string;
  impact_note: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ThreatScenarioAssetTable {
  scenario_id: string;
  threat_model_id: string;
  asset_key: string;
}

export interface ThreatScenarioRiskTable {
  scenario_id: string;
  risk_id: string;
}

export interface RedTeamExerciseTable extends Versioned {
  /** red_team or independent_review. */
  kind: string;
  title: string;
  scope: string;
  /** The AI system challenged, or null for an exercise over the whole AI management system. */
  ai_system_id: string | null;
  /** YYYY-MM-DD. */
  started_on: string;
  ended_on: string | null;
  /** internal or third_party. */
  performer_type: string;
  performer_name: string;
  summary: string;
  /** Number the next finding of the exercise gets; numbers are never reused. */
  next_finding_number: number;
  created_by: string;
}

export interface RedTeamFindingTable extends Versioned {
  exercise_id: string;
  /** 1, 2, 3 … within the exercise. */
  number: number;
  title: string;
  description: string;
  severity: string;
  status: string;
  /** Reason a finding was accepted, or how it was remediated. Required in those statuses. */
  resolution: string;
  created_by: string;
}

export interface RedTeamFindingRiskTable {
  finding_id: string;
  risk_id: string;
  /** tests (the exercise challenged a known risk) or raises (the finding revealed a new one). */
  relation: string;
}

export interface RedTeamFindingThreatTable {
  finding_id: string;
  catalogue_ref: string;
}

export interface RedTeamFindingEvidenceTable {
  finding_id: string;
  evidence_id: string;
}

// Threat library, threat model and red-team tables: filled in by the threats area.
export interface ThreatTables {
  threat_models: ThreatModelTable;
  threat_model_assets: ThreatModelAssetTable;
  threat_scenarios: ThreatScenarioTable;
  threat_scenario_assets: ThreatScenarioAssetTable;
  threat_scenario_risks: ThreatScenarioRiskTable;
  red_team_exercises: RedTeamExerciseTable;
  red_team_findings: RedTeamFindingTable;
  red_team_finding_risks: RedTeamFindingRiskTable;
  red_team_finding_threats: RedTeamFindingThreatTable;
  red_team_finding_evidence: RedTeamFindingEvidenceTable;
}

export interface ImpactAssessmentTable extends Versioned {
  ai_system_id: string;
  /** 1, 2, 3 … within the AI system, in order of creation. */
  number: number;
  status: string;
  title: string;
  /** 1 when the record also serves as the fundamental rights impact assessment of EU AI Act Art 27. */
  fria: number;
  /** Id of the classification the assessment relies on; checked against the classification records, without a foreign key. */
  classification_id: string | null;
  /** The approved version this draft was copied from. */
  based_on_id: string | null;
  /** JSON array of { name, interest } objects. */
  interested_parties: string;
  /** JSON array of strings: categories of persons and groups the FRIA names. */
  affected_categories: string;
  scope: string;
  system_description: string;
  system_capabilities: string;
  purpose: string;
  intended_uses: string;
  unintended_uses: string;
  data_description: string;
  data_quality: string;
  algorithm_and_model: string;
  deployment_environment: string;
  measures: string;
  deployer_processes: string;
  period_of_use: string;
  frequency_of_use: string;
  human_oversight_measures: string;
  risk_materialisation_measures: string;
  internal_governance: string;
  complaint_mechanisms: string;
  /** JSON object of Canada AIA answers by question name, or null before the first answers. */
  aia_answers: string | null;
  aia_template_sha256: string | null;
  aia_answered_at: string | null;
  author_id: string;
  /** JSON array of the user ids, other than the author, who changed the draft. */
  editor_ids: string;
  approved_by: string | null;
  approved_at: string | null;
  approval_comment: string | null;
}

export interface ImpactAssessmentImpactTable extends Versioned {
  assessment_id: string;
  /** 1, 2, 3 … within the assessment; the order impacts are listed in. */
  position: number;
  affected_party: string;
  affected_scope: string;
  description: string;
  nature: string;
  occurrence: string;
  origin: string;
  severity: string;
  likelihood: string;
  reversibility: string | null;
  measures: string;
  residual_severity: string | null;
  residual_likelihood: string | null;
  created_by: string;
}

export interface ImpactAssessmentRiskTable {
  assessment_id: string;
  risk_id: string;
}

// Impact assessment tables: filled in by the impact assessment area.
export interface ImpactAssessmentTables {
  impact_assessments: ImpactAssessmentTable;
  impact_assessment_impacts: ImpactAssessmentImpactTable;
  impact_assessment_risks: ImpactAssessmentRiskTable;
}

// Measurement tables: filled in by the measurement area.
export interface MeasurementRunTable {
  id: string;
  ai_system_id: string;
  model_version_id: string | null;
  /** check for a policy run; fairness, performance, calibration, drift or quality for an ad-hoc measurement. */
  kind: string;
  policy_name: string | null;
  /** Lower-case hex SHA-256 of the policy file's bytes. */
  policy_sha256: string | null;
  policy_text: string | null;
  engine_version: string;
  started_at: string;
  finished_at: string;
  /** User id of the caller who ran it. */
  run_by: string;
  /** passed, passed_with_warnings or failed. */
  result: string;
  outcome_count: number;
  passed_count: number;
  failed_count: number;
  undefined_count: number;
  /** The full JSON report of the run; non-finite numbers are written as strings. */
  result_json: string;
  /** Lower-case hex SHA-256 of result_json, also written to the audit trail. */
  result_sha256: string;
  recorded_at: string;
}

export interface MeasurementRunFileTable {
  run_id: string;
  /** evaluation, reference or current. */
  role: string;
  file_name: string;
  format: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
  size_bytes: number;
  row_count: number;
  dataset_version_id: string | null;
}

export interface MeasurementValueTable {
  run_id: string;
  /** 0, 1, 2 … in the order of the run's outcomes. */
  position: number;
  ai_system_id: string;
  /** finished_at of the run. */
  measured_at: string;
  check_id: string;
  family: string;
  metric: string;
  /** Canonical JSON (RFC 8785) of the metric's parameters, defaults included. */
  parameters: string;
  column_name: string | null;
  group_name: string | null;
  /** Lower-case hex SHA-256 of the canonical JSON [parameters, column, group], which identifies the KPI series. */
  series_key: string;
  /** The value, or null when it is undefined; may be Infinity. */
  value: number | null;
  undefined_reason: string | null;
  /** JSON array of strings. */
  warnings: string;
  threshold_operator: string;
  threshold_value: number | null;
  threshold_min: number | null;
  threshold_max: number | null;
  severity: string;
  /** passed, failed or undefined. */
  result: string;
}

export interface MonitoringTaskTable extends Versioned {
  ai_system_id: string;
  /** retraining or review. */
  kind: string;
  /** open or done. */
  status: string;
  metric: string;
  parameters: string;
  column_name: string | null;
  group_name: string | null;
  /** The control chart whose rule was breached: shewhart, cusum, ewma or page_hinkley. */
  chart: string;
  rule: string;
  /** The run whose value breached the rule. */
  run_id: string;
  /** JSON of the breach: the rule, the point, its value and the chart's limits. */
  breach: string;
  assigned_role: string;
  /** The AI system's owner when the task opened; null when the system had none. */
  owner_person_id: string | null;
  due_date: string;
  opened_at: string;
  closed_at: string | null;
  closed_by: string | null;
  resolution: string | null;
}

export interface MeasurementTables {
  measurement_runs: MeasurementRunTable;
  measurement_run_files: MeasurementRunFileTable;
  measurement_values: MeasurementValueTable;
  monitoring_tasks: MonitoringTaskTable;
}

export interface Tables extends EvidenceTables, AssessmentTables, DocumentTables, RiskTables, ClassificationTables, ThreatTables, ImpactAssessmentTables, MeasurementTables {
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
