/** Every REST route group under `/api`, registered from this one list. */
import { teardownRoutes } from '../setup/teardown-routes';
import { actionRoutes } from './action-routes';
import { alertRoutes } from './alert-routes';
import { authRoutes } from './auth-routes';
import { controlRoutes } from './control-routes';
import { draftRoutes } from './draft-routes';
import { hintRoutes } from './hint-routes';
import { investigationRoutes } from './investigation-routes';
import { linkRoutes } from './link-routes';
import { mselRoutes } from './msel-routes';
import { apiPublicRoutes } from './public-routes';
import { rangeRoutes } from './range-routes';
import { reviewRoutes } from './review-routes';
import type { RouteGroup } from './route-context';
import { scoringRoutes } from './scoring-routes';
import { teamRoutes } from './team-routes';

export const ROUTE_GROUPS: RouteGroup[] = [
  apiPublicRoutes,
  authRoutes,
  linkRoutes,
  teamRoutes,
  scoringRoutes,
  controlRoutes,
  investigationRoutes,
  alertRoutes,
  draftRoutes,
  actionRoutes,
  reviewRoutes,
  mselRoutes,
  hintRoutes,
  rangeRoutes,
  teardownRoutes,
];
