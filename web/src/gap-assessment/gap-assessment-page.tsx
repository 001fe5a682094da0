import { useSearchParams } from 'react-router';
import { Alert, Group, NativeSelect, Progress, Stack, Tabs, Text, Title } from '@mantine/core';
import { useCan, useReadOnly } from '../auth/session';
import { PageTitle } from '../components/page-title';
import { QueryState } from '../components/query-state';
import { alertTitleStyles } from '../soa/soa-badges';
import { CompleteAssessmentButton, StartAssessmentButton } from './assessment-actions';
import { formatDate, formatMean, useAnswers, useGapAssessments, useMaturityScale, useScores, useTrend, type Assessment, type MaturityScale } from './assessment-api';
import { MaturityHeatmap } from './maturity-heatmap';
import { MaturityTrend } from './maturity-trend';
import { MockAuditWorkspace } from './mock-audits';
import { Questionnaire } from './questionnaire';
import { RemediationSection } from './remediation-section';

/**
 * Gap assessments against ISO/IEC 42001: the maturity heatmap per clause and Annex A group, the
 * trend over completed assessments, the questionnaire and the remediation of one assessment; and
 * the mock audits with their findings.
 */
export function GapAssessmentPage() {
  const [params, setParams] = useSearchParams();
  const can = useCan();
  const readOnly = useReadOnly();
  const canWrite = can('assessments.write') && !readOnly;
  const section = params.get('mode') === mockAuditsParam ? mockAuditsParam : 'gap';
  const showSection = (value: string | null) =>
    setParams(() => {
      const next = new URLSearchParams(window.location.search);
      if (value === mockAuditsParam) next.set('mode', mockAuditsParam);
      else next.delete('mode');
      return next;
    });

  return (
    <>
      <PageTitle title="Gap assessment" subtitle="Maturity of each clause and Annex A group against the target level, and mock audits" />
      <Tabs value={section} onChange={showSection} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="gap">Gap assessments</Tabs.Tab>
          <Tabs.Tab value={mockAuditsParam}>Mock audits</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="gap">
          <GapAssessments />
        </Tabs.Panel>
        <Tabs.Panel value={mockAuditsParam}>
          <MockAuditWorkspace canWrite={canWrite} readOnly={readOnly} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

/** The value of the `mode` query parameter that opens the mock audits. */
const mockAuditsParam = 'mock-audits';

const assessmentViews = ['results', 'questionnaire', 'remediation'] as const;

function GapAssessments() {
  const assessments = useGapAssessments();
  const scale = useMaturityScale();
  return (
    <QueryState query={scale} label="the maturity scale">
      {(loadedScale) => (
        <QueryState query={assessments} label="the assessments">
          {(page) => <AssessmentWorkspace assessments={page.items} scale={loadedScale} />}
        </QueryState>
      )}
    </QueryState>
  );
}

function AssessmentWorkspace({ assessments, scale }: { assessments: readonly Assessment[]; scale: MaturityScale }) {
  const [params, setParams] = useSearchParams();
  const can = useCan();
  const readOnly = useReadOnly();
  const canWrite = can('assessments.write') && !readOnly;
  const requested = params.get('assessment');
  const assessment = assessments.find((item) => item.id === requested) ?? assessments[0];
  const view = assessmentViews.find((candidate) => candidate === params.get('view')) ?? 'results';

  const show = (assessmentId: string, nextView: string = view) =>
    setParams(() => {
      const next = new URLSearchParams(window.location.search);
      next.set('assessment', assessmentId);
      if (nextView !== 'results') next.set('view', nextView);
      else next.delete('view');
      return next;
    });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        {assessment ? (
          <NativeSelect
            label="Assessment"
            value={assessment.id}
            onChange={(event) => show(event.currentTarget.value)}
            data={assessments.map((item) => ({ value: item.id, label: `${item.title} · ${item.status === 'completed' ? `completed ${formatDate(item.completedAt)}` : 'in progress'}` }))}
            w={480}
            maw="100%"
          />
        ) : (
          <Text size="sm">No gap assessment has been started yet.</Text>
        )}
        <Group gap="xs">
          {canWrite && <StartAssessmentButton scale={scale} onStarted={(created) => show(created.id, 'questionnaire')} />}
          {canWrite && assessment?.status === 'in_progress' && <CompleteAssessmentButton assessment={assessment} />}
        </Group>
      </Group>

      {assessment && <AssessmentSummary assessment={assessment} readOnlyReason={answerBlocker(assessment, readOnly, canWrite)} />}

      {assessment && (
        <Tabs value={view} onChange={(value) => show(assessment.id, value ?? 'results')} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="results">Heatmap and trend</Tabs.Tab>
            <Tabs.Tab value="questionnaire">Questionnaire</Tabs.Tab>
            <Tabs.Tab value="remediation">Remediation</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="results" pt="md">
            <Results assessment={assessment} scale={scale} />
          </Tabs.Panel>
          <Tabs.Panel value="questionnaire" pt="md">
            <AssessmentQuestionnaire key={assessment.id} assessment={assessment} scale={scale} readOnlyReason={answerBlocker(assessment, readOnly, canWrite)} />
          </Tabs.Panel>
          <Tabs.Panel value="remediation" pt="md">
            <RemediationSection key={assessment.id} assessment={assessment} canWrite={canWrite} />
          </Tabs.Panel>
        </Tabs>
      )}
      {!assessment && <TrendSection />}
    </Stack>
  );
}

function answerBlocker(assessment: Assessment, readOnly: boolean, canWrite: boolean): string | null {
  if (readOnly) return 'You are signed in as an internal auditor, so the assessment is read-only for you.';
  if (assessment.status === 'completed') return `This assessment was completed on ${formatDate(assessment.completedAt)} and its answers are frozen; start a new gap assessment to record changes.`;
  if (!canWrite) return 'Your role may read assessments but not answer them; a risk owner, validator or administrator answers them.';
  return null;
}

function AssessmentSummary({ assessment, readOnlyReason }: { assessment: Assessment; readOnlyReason: string | null }) {
  const { itemCount, answeredCount, notApplicableCount, unansweredCount } = assessment.progress;
  const done = answeredCount + notApplicableCount;
  const percent = itemCount === 0 ? 0 : Math.round((done / itemCount) * 100);
  return (
    <Alert
      color={assessment.status === 'completed' ? 'teal' : 'blue'}
      styles={alertTitleStyles()}
      title={assessment.status === 'completed' ? 'Completed and frozen' : 'In progress'}
      data-testid="assessment-summary"
    >
      <Stack gap={4}>
        <Text size="sm">
          {answeredCount} of {itemCount} items have a maturity level, {notApplicableCount} are not applicable and {unansweredCount} are unanswered. Target level{' '}
          {assessment.targetLevel}. Started on {formatDate(assessment.startedAt)}.
        </Text>
        <Progress value={percent} size="sm" maw={420} aria-label={`${percent}% of the items answered`} />
        {assessment.description && <Text size="sm">{assessment.description}</Text>}
        <Text size="sm">{readOnlyReason ?? 'Answer an item with its Answer button and save each item on its own.'}</Text>
      </Stack>
    </Alert>
  );
}

function Results({ assessment, scale }: { assessment: Assessment; scale: MaturityScale }) {
  const scores = useScores(assessment.id);
  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Title order={2} size="h4">
          Maturity heatmap
        </Title>
        <QueryState query={scores} label="the scores">
          {(data) => (
            <>
              <Text size="sm">
                Overall weighted mean {formatMean(data.overall.weightedMean)} against target level {data.targetLevel}
                {data.overall.percentOfTarget === null ? '' : ` (${data.overall.percentOfTarget.toFixed(1)}% of the target)`}.
              </Text>
              <MaturityHeatmap scores={data} scale={scale} />
            </>
          )}
        </QueryState>
      </Stack>
      <TrendSection />
    </Stack>
  );
}

function TrendSection() {
  const trend = useTrend();
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        Trend over completed assessments
      </Title>
      <QueryState query={trend} label="the trend">
        {(page) => <MaturityTrend trend={page.items} />}
      </QueryState>
    </Stack>
  );
}

function AssessmentQuestionnaire({ assessment, scale, readOnlyReason }: { assessment: Assessment; scale: MaturityScale; readOnlyReason: string | null }) {
  const answers = useAnswers(assessment.id);
  const scores = useScores(assessment.id);
  return (
    <QueryState query={answers} label="the questionnaire">
      {(page) => (
        <QueryState query={scores} label="the sections">
          {(data) => <Questionnaire assessmentId={assessment.id} answers={page.items} scores={data} scale={scale} readOnlyReason={readOnlyReason} />}
        </QueryState>
      )}
    </QueryState>
  );
}
