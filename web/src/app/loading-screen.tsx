import { Center, Loader } from '@mantine/core';

export function LoadingScreen() {
  return (
    <Center mih="100vh">
      <Loader role="status" aria-label="Loading custos" />
    </Center>
  );
}
