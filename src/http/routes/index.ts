import type { RouteModule } from '../app.js';
import { aiSystemRoutes } from './ai-systems.routes.js';
import { auditRoutes } from './audit.routes.js';
import { authRoutes } from './auth.routes.js';
import { healthRoutes } from './health.routes.js';

/** Every route module the server registers, one per area. */
export const routeModules: RouteModule[] = [healthRoutes, authRoutes, aiSystemRoutes, auditRoutes];
