import { apiRoutes } from '@attest/contracts';
import type { Unit } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { queryKeys, useApiQuery, type Resource } from '../api/api-query.ts';

export function getUnit(api: ApiClient, unitId: string): Promise<Unit> {
  return api.call(apiRoutes.getUnit, { params: { unitId } });
}

export function useUnit(api: ApiClient, unitId: string): [Resource<Unit>, () => void] {
  return useApiQuery(queryKeys.unit(unitId), () => getUnit(api, unitId));
}

/**
 * The unit's title for a page heading, or null while it loads, when no unit is linked, or when it
 * cannot be loaded: the heading then falls back to the LMS's own title for the activity, and the
 * page's main content reports its own errors.
 */
export function useUnitTitle(api: ApiClient, unitId: string | null): string | null {
  // The same cache entry as the unit itself: the page that shows the title usually shows the unit too.
  const [unit] = useApiQuery(queryKeys.unit(unitId ?? ''), () => getUnit(api, unitId ?? ''), { enabled: unitId !== null });
  return unitId !== null && unit.status === 'ready' ? unit.data.title : null;
}
