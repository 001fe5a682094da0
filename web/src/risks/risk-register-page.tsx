import { PageTitle } from '../components/page-title';

export function RiskRegisterPage() {
  return <PageTitle title="Risks" subtitle="This screen is being built." />;
}
