/** The main screens in the order the navigation lists them. */
export const navigation = [
  { path: '/', label: 'Dashboard', description: undefined },
  { path: '/ai-systems', label: 'AI systems', description: 'Register' },
  { path: '/soa', label: 'Statement of Applicability', description: 'Annex A controls' },
  { path: '/gap-assessment', label: 'Gap assessment', description: 'Maturity by clause' },
  { path: '/risks', label: 'Risks', description: 'Register and heatmap' },
  { path: '/measurements', label: 'Measurements', description: 'Fairness, drift, calibration' },
  { path: '/evidence', label: 'Evidence', description: 'Files and expiry' },
  { path: '/audit-trail', label: 'Audit trail', description: 'Events and chain' },
] as const;
