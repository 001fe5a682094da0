import { PageTitle } from '../components/page-title';

export function RegisterPage() {
  return <PageTitle title="AI systems" subtitle="This screen is being built." />;
}
