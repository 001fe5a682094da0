/** Kinds of third-party component: a model or a dataset made outside the organization. */
export const componentKinds = ['model', 'dataset'] as const;
export type ComponentKind = (typeof componentKinds)[number];
