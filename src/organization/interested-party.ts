/** The vocabulary of interested parties (ISO/IEC 42001 clause 4.2), free of storage and HTTP. */

/** Kinds of party whose needs and expectations the AIMS considers. */
export const interestedPartyCategories = [
  'regulator',
  'customer',
  'affected_person',
  'employee',
  'supplier',
  'partner',
  'investor',
  'civil_society',
  'other',
] as const;
export type InterestedPartyCategory = (typeof interestedPartyCategories)[number];
