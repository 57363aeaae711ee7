/** Every REST route group under `/api`, registered from this one list. */
import { authRoutes } from './auth-routes';
import { controlRoutes } from './control-routes';
import { linkRoutes } from './link-routes';
import { apiPublicRoutes } from './public-routes';
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
];
