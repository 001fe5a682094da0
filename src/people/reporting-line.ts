/** Rules of reporting lines, free of storage. A reporting line has no cycles and ends at board level. */

export interface ReportingLink {
  id: string;
  name: string;
  reportsToId: string | null;
  isBoardMember: boolean;
}

/**
 * Returns the names along the cycle that making `person` report to `managerChain[0]` would
 * close, starting and ending with the person, or undefined when there is no cycle.
 * `managerChain` is the proposed manager followed by everyone above them.
 */
export function findReportingCycle(person: Pick<ReportingLink, 'id' | 'name'>, managerChain: readonly ReportingLink[]): string[] | undefined {
  const closing = managerChain.findIndex((link) => link.id === person.id);
  if (closing === -1) return undefined;
  return [person.name, ...managerChain.slice(0, closing + 1).map((link) => link.name)];
}

/** Cuts a chain of managers after its first board member, because the reporting line ends at board level. */
export function chainToBoard<T extends ReportingLink>(managerChain: readonly T[]): T[] {
  const boardIndex = managerChain.findIndex((link) => link.isBoardMember);
  return boardIndex === -1 ? [...managerChain] : managerChain.slice(0, boardIndex + 1);
}
