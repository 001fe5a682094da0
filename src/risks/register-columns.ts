import type { Risk, Treatment } from './risk.schemas.js';

/**
 * The columns of the risk register file, shared by the export and the import. The import reads
 * back the columns with a `field`. The others (names, scores, bands, ERM category, treatments)
 * are derived from the register, so the import ignores them.
 */

/** A risk with what the file shows beside it. */
export interface RegisterRow {
  risk: Risk;
  aiSystemName: string | null;
  ownerName: string | null;
  treatments: Treatment[];
}

/** Fields of a risk that the import reads, by the JSON pointer that errors use. */
export type ImportedField =
  | 'id'
  | 'title'
  | 'description'
  | 'aiSystemId'
  | 'category'
  | 'riskSourceRef'
  | 'threat'
  | 'objectiveRef'
  | 'ownerPersonId'
  | 'inherent.likelihood'
  | 'inherent.impact'
  | 'residual.likelihood'
  | 'residual.impact'
  | 'status';

export interface RegisterColumn {
  header: string;
  width: number;
  /** The value as exported: text, or a number for levels and scores. */
  value(row: RegisterRow): string | number;
  field?: ImportedField;
  required?: boolean;
}

const levelOrBlank = (value: number | undefined): string | number => value ?? '';

function describeTreatment(treatment: Treatment): string {
  return `${treatment.option}: ${treatment.description} (${treatment.status.replace(/_/g, ' ')}, due ${treatment.dueDate})`;
}

export const registerColumns: RegisterColumn[] = [
  { header: 'Id', width: 38, value: (row) => row.risk.id, field: 'id' },
  { header: 'Title', width: 40, value: (row) => row.risk.title, field: 'title', required: true },
  { header: 'Description', width: 60, value: (row) => row.risk.description, field: 'description' },
  { header: 'AI system id', width: 38, value: (row) => row.risk.aiSystemId ?? '', field: 'aiSystemId' },
  { header: 'AI system', width: 30, value: (row) => row.aiSystemName ?? (row.risk.aiSystemId ? '' : 'Organization-wide') },
  { header: 'Category', width: 16, value: (row) => row.risk.category, field: 'category', required: true },
  { header: 'ERM category', width: 24, value: (row) => row.risk.ermCategory ?? '' },
  { header: 'Risk source', width: 18, value: (row) => row.risk.riskSourceRef, field: 'riskSourceRef', required: true },
  { header: 'Threat', width: 36, value: (row) => row.risk.threat ?? '', field: 'threat' },
  { header: 'Affected objective', width: 18, value: (row) => row.risk.objectiveRef, field: 'objectiveRef', required: true },
  { header: 'Owner id', width: 38, value: (row) => row.risk.ownerPersonId, field: 'ownerPersonId', required: true },
  { header: 'Owner', width: 24, value: (row) => row.ownerName ?? '' },
  { header: 'Inherent likelihood', width: 10, value: (row) => levelOrBlank(row.risk.inherent?.likelihood), field: 'inherent.likelihood' },
  { header: 'Inherent impact', width: 10, value: (row) => levelOrBlank(row.risk.inherent?.impact), field: 'inherent.impact' },
  { header: 'Inherent score', width: 10, value: (row) => levelOrBlank(row.risk.inherent?.score) },
  { header: 'Inherent band', width: 12, value: (row) => row.risk.inherent?.band.label ?? '' },
  { header: 'Residual likelihood', width: 10, value: (row) => levelOrBlank(row.risk.residual?.likelihood), field: 'residual.likelihood' },
  { header: 'Residual impact', width: 10, value: (row) => levelOrBlank(row.risk.residual?.impact), field: 'residual.impact' },
  { header: 'Residual score', width: 10, value: (row) => levelOrBlank(row.risk.residual?.score) },
  { header: 'Residual band', width: 12, value: (row) => row.risk.residual?.band.label ?? '' },
  { header: 'Matrix version', width: 10, value: (row) => levelOrBlank((row.risk.residual ?? row.risk.inherent)?.matrixNumber) },
  { header: 'Status', width: 18, value: (row) => row.risk.status, field: 'status' },
  { header: 'Beyond appetite', width: 10, value: (row) => (row.risk.beyondAppetite ? 'yes' : 'no') },
  { header: 'Treatments', width: 60, value: (row) => row.treatments.map(describeTreatment).join('; ') },
  { header: 'Controls', width: 30, value: (row) => [...new Set(row.treatments.flatMap((treatment) => treatment.controlRefs))].join('; ') },
];

/** Returns the header of the column that a field is read from, for messages. */
export function headerOf(field: string): string {
  return registerColumns.find((column) => column.field === field)?.header ?? field;
}
