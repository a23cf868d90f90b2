import { QueryClient, useQuery, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import { ApiRequestError } from './api-client.ts';

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'error'; error: ApiRequestError }
  | { status: 'ready'; data: T };

/** Any failure as an ApiRequestError, so screens only ever show messages meant for people. */
export function asApiRequestError(error: unknown): ApiRequestError {
  if (error instanceof ApiRequestError) return error;
  return new ApiRequestError('unexpected-response', 'Something went wrong on this page. Reload the activity from your course.', { cause: error });
}

/**
 * Every cached read, by what it reads. Writes invalidate these keys (or prefixes of them) instead
 * of each screen counting reloads; one place, so a key cannot be spelt two ways.
 */
export const queryKeys = {
  session: ['session'],
  unit: (unitId: string) => ['unit', unitId],
  portfolio: ['portfolio'],
  learnerAssessment: ['learner-assessment'],
  evidenceHistory: (itemId: string, version: number) => ['evidence-history', itemId, version],
  catalogue: ['catalogue'],
  caseload: ['caseload'],
  assessorCaseload: ['assessor-caseload'],
  assessorMe: ['assessor-me'],
  assessorPortfolio: (learnerUserId: string) => ['assessor-portfolio', learnerUserId],
  learnerHistory: (learnerUserId: string) => ['learner-history', learnerUserId],
  gradeStatus: (learnerUserId: string) => ['grade-status', learnerUserId],
  adminConsole: ['admin-console'],
  gradebookSync: ['gradebook-sync'],
} as const;

/**
 * The app's one cache. A failed read is not retried behind the learner's back: the screen says what
 * failed and offers Retry (the API's messages are written for that). The frame regains focus every
 * time the learner comes back from the LMS page around it, so focus is no reason to read again;
 * writes say when data is stale.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false }, mutations: { retry: false } } });
}

/**
 * A cached read as the screens' three states, plus a retry. A reply that arrives after the key
 * changed belongs to the old key's cache entry, so it cannot overwrite a newer read's answer.
 */
export function useApiQuery<T>(queryKey: QueryKey, queryFn: () => Promise<T>, options: Omit<UseQueryOptions<T, Error, T, QueryKey>, 'queryKey' | 'queryFn'> = {}): [Resource<T>, () => void] {
  const query = useQuery({ queryKey, queryFn, ...options });
  const retry = () => void query.refetch();
  // Data already shown stays shown while a refetch fails; the screens that refetch say so themselves.
  if (query.data !== undefined) return [{ status: 'ready', data: query.data }, retry];
  if (query.error !== null) return [{ status: 'error', error: asApiRequestError(query.error) }, retry];
  return [{ status: 'loading' }, retry];
}
