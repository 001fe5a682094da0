import { Badge, Box, Group, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import type { Band, RiskHeatmap } from './risk-types';
import classes from './risk-heatmap-grid.module.css';

/**
 * Light fills from the lowest band to the highest, dark enough apart to tell, light enough that
 * the dark count on them keeps WCAG AA contrast. The band's name is written in every cell too.
 */
const bandFills = ['#d3f9d8', '#e9fac8', '#fff3bf', '#ffe8cc', '#ffc078', '#ffa8a8', '#ff8787'];

/** Returns the fill of a band, spread over the palette by the band's rank among all bands. */
export function bandFill(band: Pick<Band, 'order'> | undefined, bandCount: number): string {
  if (!band) return '#f1f3f5';
  const position = bandCount <= 1 ? 0 : (band.order - 1) / (bandCount - 1);
  return bandFills[Math.round(position * (bandFills.length - 1))]!;
}

/** Shows a band as a badge with its name, coloured like its heatmap cells. */
export function BandBadge({ band, bands }: { band: Band; bands: readonly Band[] }) {
  return (
    <Badge variant="outline" color="dark" tt="none" styles={{ label: { overflow: 'visible' }, root: { flexShrink: 0, backgroundColor: bandFill(band, bands.length) } }}>
      {band.label}
    </Badge>
  );
}

export interface SelectedCell {
  likelihood: number;
  impact: number;
}

interface Props {
  heatmap: RiskHeatmap;
  caption: string;
  /** Builds the address a cell links to; the dashboard uses links. */
  cellHref?: (cell: SelectedCell) => string;
  /** Called when a cell is pressed; the register filters its table. */
  onSelect?: (cell: SelectedCell | null) => void;
  selected?: SelectedCell | null;
}

/**
 * Draws the likelihood × impact heatmap as an HTML table, with likelihood rows from the highest
 * level down and impact columns from the lowest up. Each cell shows its count and band in text on the band's
 * colour, and links to or filters the risks it counts.
 */
export function RiskHeatmapGrid({ heatmap, caption, cellHref, onSelect, selected }: Props) {
  const bandsByKey = new Map(heatmap.bands.map((band) => [band.key, band]));
  const rows = [...heatmap.likelihoodLevels].reverse();
  const cellCount = heatmap.cells.reduce((sum, cell) => sum + cell.count, 0);

  return (
    <Box>
      <Box className={classes.scroller}>
        <table className={classes.grid}>
          <caption className={classes.caption}>{caption}</caption>
          <thead>
            <tr>
              <th scope="col" className={classes.corner}>
                <Text size="xs" c="dimmed">
                  Likelihood ↓ · Impact →
                </Text>
              </th>
              {heatmap.impactLevels.map((level) => (
                <th key={level.level} scope="col" className={classes.axis}>
                  {level.level} {level.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((likelihood) => (
              <tr key={likelihood.level}>
                <th scope="row" className={classes.axis}>
                  {likelihood.level} {likelihood.label}
                </th>
                {heatmap.impactLevels.map((impact) => {
                  const cell = heatmap.cells.find((candidate) => candidate.likelihood === likelihood.level && candidate.impact === impact.level);
                  const band = cell ? bandsByKey.get(cell.band) : undefined;
                  const count = cell?.count ?? 0;
                  const isSelected = selected?.likelihood === likelihood.level && selected.impact === impact.level;
                  // The accessible name reads as "2 risks, band High, at likelihood 3 Possible and impact 4 Major",
                  // starting with the text the cell shows.
                  const content = (
                    <>
                      <span className={classes.count}>
                        {count}
                        <VisuallyHidden>{count === 1 ? ' risk,' : ' risks,'} band</VisuallyHidden>
                      </span>
                      <span className={classes.band}>
                        {band?.label ?? 'none'}
                        <VisuallyHidden>
                          , at likelihood {likelihood.level} {likelihood.label} and impact {impact.level} {impact.label}
                        </VisuallyHidden>
                      </span>
                    </>
                  );
                  const target = { likelihood: likelihood.level, impact: impact.level };
                  return (
                    <td key={impact.level} className={classes.cell} style={{ backgroundColor: bandFill(band, heatmap.bands.length) }} data-selected={isSelected || undefined}>
                      {cellHref ? (
                        <Link to={cellHref(target)} className={classes.target} data-testid={`heatmap-cell-${likelihood.level}-${impact.level}`}>
                          {content}
                        </Link>
                      ) : onSelect ? (
                        <UnstyledButton
                          className={classes.target}
                         
                          aria-pressed={isSelected}
                          onClick={() => onSelect(isSelected ? null : target)}
                          data-testid={`heatmap-cell-${likelihood.level}-${impact.level}`}
                        >
                          {content}
                        </UnstyledButton>
                      ) : (
                        <span className={classes.target}>
                          {content}
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </Box>
      <Group gap="xs" mt="xs" wrap="wrap">
        <Text size="xs" c="dimmed" data-testid="heatmap-totals">
          {cellCount} rated in the grid
          {heatmap.unrated > 0 ? ` · ${heatmap.unrated} not rated` : ''}
          {heatmap.offMatrix > 0 ? ` · ${heatmap.offMatrix} rated on an older matrix outside these axes` : ''} · {heatmap.total} in all · matrix v{heatmap.matrixNumber}
        </Text>
      </Group>
    </Box>
  );
}
