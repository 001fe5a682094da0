import { useEffect, useRef } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { Box } from '@mantine/core';
import { echarts } from './echarts-setup';

/**
 * One ECharts chart, drawn on canvas and resized with its box. Charts are pictures to a screen
 * reader, so each one has a label that says what it shows; the screens put the same numbers in a
 * table beside the chart. The SVG renderer puts the chart's text and marks in the document, where
 * the browser tests can measure them.
 */
export function EChart({ option, height = 320, label, renderer = 'canvas' }: { option: EChartsCoreOption; height?: number; label: string; renderer?: 'canvas' | 'svg' }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [renderer]);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <Box ref={element} h={height} w="100%" role="img" aria-label={label} />;
}
