import type { ServiceContext } from '../platform/context.js';

// TODO: the demo loader is being written.
export async function loadDemoIfEmpty(_ctx: ServiceContext): Promise<{ aiSystems: number } | null> {
  return null;
}
