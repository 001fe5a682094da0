import type { ErrorDetail } from '../platform/errors.js';

/**
 * The likelihood × impact matrix and its calibration. Each axis has 3 to 5 levels, numbered from
 * 1 (lowest). Every cell maps to one band, such as low, medium, high or critical, and the bands
 * are ordered from 1 (lowest). A risk's score is likelihood × impact, and its band is the band of
 * its cell, so two cells with the same score may still fall in different bands.
 */

export const minAxisSize = 3;
export const maxAxisSize = 5;
export const maxBands = 7;

export interface ScaleLevel {
  level: number;
  label: string;
  definition: string;
}

export interface Band {
  key: string;
  label: string;
  /** 1 for the lowest band. */
  order: number;
}

export interface MatrixDefinition {
  likelihoodLevels: ScaleLevel[];
  impactLevels: ScaleLevel[];
  bands: Band[];
  /** cells[likelihood - 1][impact - 1] is the key of that cell's band. */
  cells: string[][];
}

/** A cell as the API names it, with the band assigned to it. */
export interface CellAssignment {
  likelihood: number;
  impact: number;
  band: string;
}

/** A rating placed on a matrix: the cell, its score and its band. */
export interface Rating {
  likelihood: number;
  impact: number;
  score: number;
  band: Band;
}

export function scoreOf(likelihood: number, impact: number): number {
  return likelihood * impact;
}

/** Returns the highest score the matrix allows: the top likelihood level times the top impact level. */
export function maxScoreOf(matrix: Pick<MatrixDefinition, 'likelihoodLevels' | 'impactLevels'>): number {
  return matrix.likelihoodLevels.length * matrix.impactLevels.length;
}

function describeCell(likelihood: number, impact: number): string {
  return `(likelihood ${likelihood}, impact ${impact})`;
}

/** Lists the cells as the API shows them, row by row from likelihood 1. */
export function cellAssignments(matrix: MatrixDefinition): CellAssignment[] {
  return matrix.cells.flatMap((row, likelihoodIndex) => row.map((band, impactIndex) => ({ likelihood: likelihoodIndex + 1, impact: impactIndex + 1, band })));
}

/**
 * Builds the cell grid from a list of cell assignments and checks the whole calibration. Returns
 * the problems instead of throwing, each naming the cells or bands at fault:
 * - a cell outside the axes, or listed twice;
 * - a cell without a band, or with a band the matrix does not define;
 * - a band that no cell uses, or two bands with the same key;
 * - a band that drops when likelihood or impact rises (a riskier cell in a lower band).
 */
export function buildMatrix(
  likelihoodLevels: readonly Omit<ScaleLevel, 'level'>[],
  impactLevels: readonly Omit<ScaleLevel, 'level'>[],
  bands: readonly Omit<Band, 'order'>[],
  assignments: readonly CellAssignment[],
): { matrix: MatrixDefinition; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const likelihoodSize = likelihoodLevels.length;
  const impactSize = impactLevels.length;
  const orderedBands: Band[] = bands.map((band, index) => ({ key: band.key, label: band.label.trim(), order: index + 1 }));
  const bandByKey = new Map<string, Band>();
  orderedBands.forEach((band, index) => {
    if (bandByKey.has(band.key)) problems.push({ path: `/bands/${index}/key`, message: `band "${band.key}" is defined twice; give each band its own key` });
    else bandByKey.set(band.key, band);
  });

  const cells: (string | undefined)[][] = Array.from({ length: likelihoodSize }, () => Array.from({ length: impactSize }, () => undefined));
  const outside: string[] = [];
  const duplicates: string[] = [];
  assignments.forEach((cell, index) => {
    if (cell.likelihood < 1 || cell.likelihood > likelihoodSize || cell.impact < 1 || cell.impact > impactSize) {
      outside.push(describeCell(cell.likelihood, cell.impact));
      return;
    }
    const row = cells[cell.likelihood - 1]!;
    if (row[cell.impact - 1] !== undefined) {
      duplicates.push(describeCell(cell.likelihood, cell.impact));
      return;
    }
    if (!bandByKey.has(cell.band)) {
      problems.push({
        path: `/cells/${index}/band`,
        message: `cell ${describeCell(cell.likelihood, cell.impact)} names band "${cell.band}", which the matrix does not define; use one of ${[...bandByKey.keys()].join(', ')}`,
      });
    }
    row[cell.impact - 1] = cell.band;
  });
  if (outside.length > 0) {
    problems.push({ path: '/cells', message: `cells ${outside.join(', ')} lie outside the ${likelihoodSize} × ${impactSize} matrix; likelihood runs from 1 to ${likelihoodSize} and impact from 1 to ${impactSize}` });
  }
  if (duplicates.length > 0) problems.push({ path: '/cells', message: `cells ${duplicates.join(', ')} are listed more than once; give each cell one band` });

  const missing: string[] = [];
  cells.forEach((row, likelihoodIndex) =>
    row.forEach((band, impactIndex) => {
      if (band === undefined) missing.push(describeCell(likelihoodIndex + 1, impactIndex + 1));
    }),
  );
  if (missing.length > 0) {
    problems.push({ path: '/cells', message: `cells ${missing.join(', ')} have no band; every one of the ${likelihoodSize * impactSize} cells needs a band` });
  }

  const used = new Set(cells.flat().filter((band): band is string => band !== undefined));
  const unused = orderedBands.filter((band) => !used.has(band.key)).map((band) => `"${band.key}"`);
  if (unused.length > 0) problems.push({ path: '/bands', message: `bands ${unused.join(', ')} are not used by any cell; assign them to cells or remove them` });

  if (problems.length === 0) problems.push(...findDescendingBands(cells as string[][], bandByKey));

  const matrix: MatrixDefinition = {
    likelihoodLevels: likelihoodLevels.map((level, index) => ({ level: index + 1, label: level.label.trim(), definition: level.definition.trim() })),
    impactLevels: impactLevels.map((level, index) => ({ level: index + 1, label: level.label.trim(), definition: level.definition.trim() })),
    bands: orderedBands,
    cells: cells as string[][],
  };
  return { matrix, problems };
}

/** Finds cells whose band is lower than that of a neighbour with less likelihood or less impact. */
function findDescendingBands(cells: string[][], bandByKey: Map<string, Band>): ErrorDetail[] {
  const drops: string[] = [];
  const orderAt = (likelihood: number, impact: number) => bandByKey.get(cells[likelihood - 1]![impact - 1]!)!.order;
  for (let likelihood = 1; likelihood <= cells.length; likelihood += 1) {
    for (let impact = 1; impact <= cells[0]!.length; impact += 1) {
      const order = orderAt(likelihood, impact);
      if (likelihood > 1 && order < orderAt(likelihood - 1, impact)) drops.push(`${describeCell(likelihood, impact)} is below ${describeCell(likelihood - 1, impact)}`);
      if (impact > 1 && order < orderAt(likelihood, impact - 1)) drops.push(`${describeCell(likelihood, impact)} is below ${describeCell(likelihood, impact - 1)}`);
    }
  }
  if (drops.length === 0) return [];
  return [{ path: '/cells', message: `a band must not drop as likelihood or impact rises, but ${drops.join('; ')}; raise those cells' bands` }];
}

/** Places a likelihood and an impact on the matrix. The caller has checked both against its axes. */
export function rate(matrix: MatrixDefinition, likelihood: number, impact: number): Rating {
  const key = matrix.cells[likelihood - 1]?.[impact - 1];
  const band = matrix.bands.find((candidate) => candidate.key === key);
  if (!band) throw new Error(`The matrix has no band for ${describeCell(likelihood, impact)}`);
  return { likelihood, impact, score: scoreOf(likelihood, impact), band };
}

/** Checks a likelihood and an impact against the matrix's axes, naming each value out of range at `path`. */
export function findRatingProblems(matrix: MatrixDefinition, likelihood: number, impact: number, path: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const likelihoodSize = matrix.likelihoodLevels.length;
  const impactSize = matrix.impactLevels.length;
  if (!Number.isInteger(likelihood) || likelihood < 1 || likelihood > likelihoodSize) {
    problems.push({ path: `${path}/likelihood`, message: `likelihood ${likelihood} is outside the active matrix, whose likelihood runs from 1 to ${likelihoodSize}` });
  }
  if (!Number.isInteger(impact) || impact < 1 || impact > impactSize) {
    problems.push({ path: `${path}/impact`, message: `impact ${impact} is outside the active matrix, whose impact runs from 1 to ${impactSize}` });
  }
  return problems;
}
