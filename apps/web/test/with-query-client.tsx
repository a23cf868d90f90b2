import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createQueryClient } from '../src/api/api-query.ts';

/** The app's provider around one rendering, with a cache of its own so tests share nothing. */
export function withQueryClient(node: ReactNode) {
  return <QueryClientProvider client={createQueryClient()}>{node}</QueryClientProvider>;
}
