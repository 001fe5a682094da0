import { Anchor, Group, Tabs, Text } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router';
import { TierBadge } from '../components/badges';
import { PageTitle } from '../components/page-title';
import { QueryState } from '../components/query-state';
import { useAiSystem, type AiSystem } from './ai-systems-api';
import { AuditHistoryTab } from './audit-history-tab';
import { ClassificationTab } from './classification-tab';
import { ControlsTab } from './controls-tab';
import { ImpactAssessmentTab } from './impact-assessment-tab';
import { stageLabel } from './labels';
import { LineageTab } from './lineage-tab';
import { MeasurementsTab } from './measurements-tab';
import { OverviewTab } from './overview-tab';
import { RisksTab } from './risks-tab';

const tabs = [
  { value: 'overview', label: 'Overview' },
  { value: 'classification', label: 'Classification' },
  { value: 'impact-assessment', label: 'Impact assessment' },
  { value: 'risks', label: 'Risks' },
  { value: 'controls', label: 'Controls' },
  { value: 'measurements', label: 'Measurements' },
  { value: 'models-and-datasets', label: 'Models and datasets' },
  { value: 'audit-history', label: 'Audit history' },
] as const;
type TabValue = (typeof tabs)[number]['value'];

/** Shows one AI system with a tab per aspect; the tab is part of the address (`/ai-systems/:id/:tab`). */
export function AiSystemPage() {
  const { id = '', tab } = useParams();
  const system = useAiSystem(id);
  return (
    <>
      <Anchor component={Link} to="/ai-systems" size="sm">
        ← AI systems
      </Anchor>
      <QueryState query={system} label="the AI system">
        {(loaded) => <AiSystemView system={loaded} tab={tabs.some((known) => known.value === tab) ? (tab as TabValue) : 'overview'} />}
      </QueryState>
    </>
  );
}

function AiSystemView({ system, tab }: { system: AiSystem; tab: TabValue }) {
  const navigate = useNavigate();
  const classification = system.classification;
  return (
    <>
      <PageTitle
        title={system.name}
        subtitle={
          <Group gap="xs" component="span" wrap="wrap">
          <Text span size="sm">
              {system.businessUnit}
          </Text>
          <Text span size="sm" c="dimmed">
              ·
          </Text>
          <Text span size="sm">
              Stage: {stageLabel(system.lifecycleStage)}
          </Text>
          <Text span size="sm" c="dimmed">
              ·
          </Text>
          <TierBadge tier={classification?.tier} stale={classification?.stale} />
          </Group>
        }
      />
      <Tabs value={tab} onChange={(value) => value && navigate(`/ai-systems/${system.id}/${value}`)} keepMounted={false}>
        <Tabs.List mb="md" style={{ flexWrap: 'wrap' }}>
          {tabs.map((entry) => (
          <Tabs.Tab key={entry.value} value={entry.value}>
              {entry.label}
          </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <OverviewTab system={system} />
        </Tabs.Panel>
        <Tabs.Panel value="classification">
          <ClassificationTab system={system} />
        </Tabs.Panel>
        <Tabs.Panel value="impact-assessment">
          <ImpactAssessmentTab system={system} />
        </Tabs.Panel>
        <Tabs.Panel value="risks">
          <RisksTab system={system} />
        </Tabs.Panel>
        <Tabs.Panel value="controls">
          <ControlsTab system={system} />
        </Tabs.Panel>
        <Tabs.Panel value="measurements">
          <MeasurementsTab system={system} />
        </Tabs.Panel>
        <Tabs.Panel value="models-and-datasets">
          <LineageTab system={system} />
        </Tabs.Panel>
        <Tabs.Panel value="audit-history">
          <AuditHistoryTab system={system} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
