import { PageTitle } from '../components/page-title';

export function DashboardPage() {
  return <PageTitle title="Dashboard" subtitle="This screen is being built." />;
}
