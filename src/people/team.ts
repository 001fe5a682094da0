/** Kinds of group: a working team, a committee (for example an AI ethics committee) or a board (for example an AI oversight board). */
export const teamKinds = ['team', 'committee', 'board'] as const;
export type TeamKind = (typeof teamKinds)[number];
