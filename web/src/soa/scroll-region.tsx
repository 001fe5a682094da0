import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Box } from '@mantine/core';

/**
 * A wide table that scrolls sideways on narrow screens. While its content overflows, the region
 * takes keyboard focus, so that keyboard users can scroll it with the arrow keys. Its label names
 * it for screen readers.
 */
export function ScrollRegion({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  const element = useRef<HTMLDivElement>(null);
  const [overflowing, setOverflowing] = useState(false);

  useEffect(() => {
    const box = element.current;
    if (!box) return;
    const measure = () => setOverflowing(box.scrollWidth > box.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  return (
    <Box ref={element} role="region" aria-label={label} tabIndex={overflowing ? 0 : undefined} style={{ overflowX: 'auto' }}>
      <Box miw={minWidth}>{children}</Box>
    </Box>
  );
}
