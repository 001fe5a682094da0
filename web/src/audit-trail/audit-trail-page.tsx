import { PageTitle } from '../components/page-title';

export function AuditTrailPage() {
  return <PageTitle title="Audit trail" subtitle="This screen is being built." />;
}
