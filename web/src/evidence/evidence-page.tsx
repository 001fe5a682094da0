import { PageTitle } from '../components/page-title';

export function EvidencePage() {
  return <PageTitle title="Evidence" subtitle="This screen is being built." />;
}
