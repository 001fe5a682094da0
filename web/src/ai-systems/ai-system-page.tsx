import { PageTitle } from '../components/page-title';

export function AiSystemPage() {
  return <PageTitle title="AI system" subtitle="This screen is being built." />;
}
