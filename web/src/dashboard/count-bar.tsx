import { Box } from '@mantine/core';

/** A horizontal bar for a share; decoration only, as the number beside it carries the value. */
export function CountBar({ value, max, color = 'indigo.6' }: { value: number; max: number; color?: string }) {
  const percent = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  return (
    <Box aria-hidden h={8} bg="gray.2" style={{ borderRadius: 4, overflow: 'hidden', minWidth: 60 }}>
      <Box h="100%" bg={color} w={`${percent}%`} />
    </Box>
  );
}
