import { PageTitle } from '../components/page-title';

export function RiskPage() {
  return <PageTitle title="Risk" subtitle="This screen is being built." />;
}
