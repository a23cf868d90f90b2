// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '@attest/contracts';
import type { ApiClient } from '../src/api/api-client.ts';
import { createQueryClient, queryKeys } from '../src/api/api-query.ts';
import { UnitHistory } from '../src/assessor/unit-history.tsx';
import './dom-patience.ts';

const entry = (sequence: number, label: string): HistoryEntry => ({
  sequence,
  action: 'evidence.submitted',
  actor: { type: 'user', userId: 'learner-1', name: 'Priya Patel', role: 'learner' },
  subject: { type: 'evidence', id: `item-${sequence}`, label },
  recordedAt: '2026-12-03T14:05:00.000Z',
});

/** An API whose history grows by one entry on each read, recording the paths it was asked for. */
function growingHistory() {
  const asked: string[] = [];
  const api = {
    call: async (route: { path: string }) => {
      asked.push(route.path);
      return { entries: asked.map((_, index) => entry(index + 1, `Log ${index + 1}`)) };
    },
    token: 't',
    baseUrl: '',
  } as unknown as ApiClient;
  return { api, asked };
}

afterEach(cleanup);

/** happy-dom does not fire `toggle` when `open` is set, so the test opens and closes it as the browser would. */
async function setOpen(details: HTMLDetailsElement, isOpen: boolean) {
  await act(async () => {
    details.open = isOpen;
    fireEvent(details, new Event('toggle'));
  });
}

describe('UnitHistory (a cached query, read when opened)', () => {
  it('reads the history only once opened, and again when reopened, so it includes what was done since', async () => {
    const { api, asked } = growingHistory();
    const { container } = render(<QueryClientProvider client={createQueryClient()}><UnitHistory api={api} learnerUserId="learner-1" timeZone="UTC" /></QueryClientProvider>);
    const details = container.querySelector('details') as HTMLDetailsElement;
    expect(asked).toEqual([]);
    await setOpen(details, true);
    await waitFor(() => expect(screen.getByText('Log 1')).toBeTruthy());
    expect(asked).toEqual(['/api/assessor/learners/:userId/history']);
    await setOpen(details, false);
    await setOpen(details, true);
    await waitFor(() => expect(screen.getByText('Log 2')).toBeTruthy());
    expect(asked).toHaveLength(2);
  });

  it('reads an open history again when a write invalidates its key', async () => {
    const { api, asked } = growingHistory();
    const client = createQueryClient();
    const { container } = render(<QueryClientProvider client={client}><UnitHistory api={api} learnerUserId="learner-1" timeZone="UTC" /></QueryClientProvider>);
    await setOpen(container.querySelector('details') as HTMLDetailsElement, true);
    await waitFor(() => expect(screen.getByText('Log 1')).toBeTruthy());
    await act(async () => client.invalidateQueries({ queryKey: queryKeys.learnerHistory('learner-1') }));
    await waitFor(() => expect(screen.getByText('Log 2')).toBeTruthy());
    expect(asked).toHaveLength(2);
  });

  it('says why when the history cannot be read', async () => {
    const api = { call: () => Promise.reject(new Error('down')), token: 't', baseUrl: '' } as unknown as ApiClient;
    const { container } = render(<QueryClientProvider client={createQueryClient()}><UnitHistory api={api} learnerUserId="learner-1" /></QueryClientProvider>);
    await setOpen(container.querySelector('details') as HTMLDetailsElement, true);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('The history could not be loaded: Something went wrong on this page.'));
  });
});
