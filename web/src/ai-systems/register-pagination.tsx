import { Button, Group, NativeSelect, Text } from '@mantine/core';
import { pageSizes } from './register-query';

interface Props {
  total: number;
  limit: number;
  offset: number;
  onPage: (offset: number) => void;
  onPageSize: (limit: number) => void;
}

/** Shows "51–100 of 391" with buttons to move between pages and a page size. */
export function RegisterPagination({ total, limit, offset, onPage, onPageSize }: Props) {
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  const lastPageOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;

  return (
    <Group justify="space-between" mt="sm" wrap="wrap" gap="sm">
      <Text size="sm" aria-live="polite" data-testid="register-range">
        {first}–{last} of {total}
      </Text>
      <Group gap="xs" wrap="wrap" align="flex-end">
        <NativeSelect
          label="Rows per page"
          size="xs"
          value={String(limit)}
          onChange={(event) => onPageSize(Number(event.currentTarget.value))}
          data={pageSizes.map((size) => String(size))}
          w={110}
        />
        <Button size="xs" variant="default" disabled={offset === 0} onClick={() => onPage(0)}>
          First
        </Button>
        <Button size="xs" variant="default" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
          Previous
        </Button>
        <Button size="xs" variant="default" disabled={last >= total} onClick={() => onPage(offset + limit)}>
          Next
        </Button>
        <Button size="xs" variant="default" disabled={last >= total} onClick={() => onPage(lastPageOffset)}>
          Last
        </Button>
      </Group>
    </Group>
  );
}
