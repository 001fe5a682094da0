import { createBrowserRouter } from 'react-router';
import { SignedInRoot } from './signed-in-root';
import { NotFoundPage } from './not-found-page';
import { LoadingScreen } from './loading-screen';

/**
 * Every screen is its own chunk, loaded when first visited, so the first screen after sign-in
 * carries only its own code. Paths are the ones the navigation lists.
 */
export const router = createBrowserRouter([
  {
    path: '/',
    Component: SignedInRoot,
    HydrateFallback: LoadingScreen,
    children: [
      { index: true, lazy: () => import('../dashboard/dashboard-page').then((m) => ({ Component: m.DashboardPage })) },
      { path: 'ai-systems', lazy: () => import('../ai-systems/register-page').then((m) => ({ Component: m.RegisterPage })) },
      { path: 'ai-systems/:id/:tab?', lazy: () => import('../ai-systems/ai-system-page').then((m) => ({ Component: m.AiSystemPage })) },
      { path: 'soa', lazy: () => import('../soa/soa-page').then((m) => ({ Component: m.SoaPage })) },
      { path: 'gap-assessment', lazy: () => import('../gap-assessment/gap-assessment-page').then((m) => ({ Component: m.GapAssessmentPage })) },
      { path: 'risks', lazy: () => import('../risks/risk-register-page').then((m) => ({ Component: m.RiskRegisterPage })) },
      { path: 'risks/:id', lazy: () => import('../risks/risk-page').then((m) => ({ Component: m.RiskPage })) },
      { path: 'measurements', lazy: () => import('../measurements/measurements-page').then((m) => ({ Component: m.MeasurementsPage })) },
      { path: 'measurements/:runId', lazy: () => import('../measurements/measurement-run-page').then((m) => ({ Component: m.MeasurementRunPage })) },
      { path: 'evidence', lazy: () => import('../evidence/evidence-page').then((m) => ({ Component: m.EvidencePage })) },
      { path: 'audit-trail', lazy: () => import('../audit-trail/audit-trail-page').then((m) => ({ Component: m.AuditTrailPage })) },
      { path: '*', Component: NotFoundPage },
    ],
  },
]);
