import { PageTitle } from '../components/page-title';

export function SoaPage() {
  return <PageTitle title="Statement of Applicability" subtitle="This screen is being built." />;
}
