import type { RouteModule } from '../app.js';
import { aiSystemRoutes } from './ai-systems.routes.js';
import { assessmentRoutes } from './assessments.routes.js';
import { auditRoutes } from './audit.routes.js';
import { authRoutes } from './auth.routes.js';
import { catalogueRoutes } from './catalogue.routes.js';
import { classificationRoutes } from './classification.routes.js';
import { soaRoutes } from './soa.routes.js';
import { componentRoutes } from './components.routes.js';
import { datasetRoutes } from './datasets.routes.js';
import { evidenceRoutes } from './evidence.routes.js';
import { documentRoutes } from './documents.routes.js';
import { healthRoutes } from './health.routes.js';
import { impactAssessmentRoutes } from './impact-assessments.routes.js';
import { inventoryRoutes } from './inventory.routes.js';
import { lineageRoutes } from './lineage.routes.js';
import { modelRoutes } from './models.routes.js';
import { objectiveRoutes } from './objectives.routes.js';
import { organizationRoutes } from './organization.routes.js';
import { peopleRoutes } from './people.routes.js';
import { raciRoutes } from './raci.routes.js';
import { riskRoutes } from './risks.routes.js';
import { roleAssignmentRoutes } from './role-assignments.routes.js';
import { teamRoutes } from './teams.routes.js';
import { threatRoutes } from './threats.routes.js';
import { tokenRoutes } from './tokens.routes.js';

/** Every route module the server registers, one per area. */
export const routeModules: RouteModule[] = [healthRoutes, authRoutes, tokenRoutes, aiSystemRoutes, inventoryRoutes, organizationRoutes, peopleRoutes, teamRoutes, roleAssignmentRoutes, raciRoutes, componentRoutes, modelRoutes, datasetRoutes, lineageRoutes, auditRoutes, catalogueRoutes, soaRoutes, assessmentRoutes, documentRoutes, objectiveRoutes, evidenceRoutes, impactAssessmentRoutes, threatRoutes, riskRoutes, classificationRoutes];
