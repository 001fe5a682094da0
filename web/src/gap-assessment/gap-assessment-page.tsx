import { PageTitle } from '../components/page-title';

export function GapAssessmentPage() {
  return <PageTitle title="Gap assessment" subtitle="This screen is being built." />;
}
