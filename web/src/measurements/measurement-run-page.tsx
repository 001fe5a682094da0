import { PageTitle } from '../components/page-title';

export function MeasurementRunPage() {
  return <PageTitle title="Measurement run" subtitle="This screen is being built." />;
}
