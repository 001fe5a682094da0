import { PageTitle } from '../components/page-title';

export function MeasurementsPage() {
  return <PageTitle title="Measurements" subtitle="This screen is being built." />;
}
