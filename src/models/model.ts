/** Purposes for which a model version used a dataset version. */
export const trainingDataPurposes = ['training', 'validation', 'test'] as const;
export type TrainingDataPurpose = (typeof trainingDataPurposes)[number];
