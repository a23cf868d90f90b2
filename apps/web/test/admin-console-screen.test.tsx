// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminConsole, ConsolePlatform, Session } from '@attest/contracts';
import type { ApiClient } from '../src/api/api-client.ts';
import { AdminConsoleScreen, describePlatformStatus } from '../src/screens/admin-console-screen.tsx';
import { withQueryClient } from './with-query-client.tsx';
import './dom-patience.ts';

const platform = (overrides: Partial<ConsolePlatform>): ConsolePlatform => ({
  id: '11111111-1111-4111-8111-111111111111',
  issuer: 'https://moodle.college.ac.uk',
  clientId: 'c1',
  name: 'College Moodle',
  isActive: true,
  registeredVia: 'dynamic',
  deploymentIds: ['1'],
  pendingDeployments: [],
  frameOrigins: ['https://moodle.college.ac.uk'],
  createdAt: '2026-12-01T10:00:00.000Z',
  activatedAt: '2026-12-01T10:05:00.000Z',
  ...overrides,
});

const session: Session = {
  view: 'instructor-caseload',
  user: { id: 'admin-1', name: 'Ali Admin', roles: ['instructor', 'administrator'], isTeachingAssistant: false },
  platform: { issuer: 'https://moodle.college.ac.uk', name: 'College Moodle' },
  context: null,
  resourceLink: null,
  unitId: null,
  canPostScores: false,
  focusLearnerUserId: null,
  canAdminister: true,
};

/** An API holding one console in memory: records each call, and applies activation as the server does. */
function consoleApi(initial: AdminConsole) {
  let state = initial;
  const calls: { path: string; body?: unknown }[] = [];
  const api = {
    call: async (route: { path: string }, input: { params?: Record<string, string>; body?: { isActive?: boolean } }) => {
      calls.push({ path: route.path, ...(input.body === undefined ? {} : { body: input.body }) });
      if (route.path === '/api/admin/platforms/:platformId/active') {
        state = { ...state, platforms: state.platforms.map((p) => (p.id === input.params?.platformId ? { ...p, isActive: input.body?.isActive ?? p.isActive } : p)) };
        return state.platforms.find((p) => p.id === input.params?.platformId);
      }
      return state;
    },
    token: 't',
    baseUrl: '',
  } as unknown as ApiClient;
  return { api, calls };
}

const lmsAdministratorConsole: AdminConsole = {
  administrator: { kind: 'platform', issuer: 'https://moodle.college.ac.uk', userId: 'admin-1', name: 'Ali Admin' },
  platforms: [platform({})],
  administrators: null,
  quotas: { evidenceBytesPerLearner: 500 * 1024 * 1024, evidenceItemsPerLearner: 200 },
};

afterEach(cleanup);

describe('describePlatformStatus', () => {
  it('says in words whether launches get in, and why not', () => {
    expect(describePlatformStatus({ isActive: false, deploymentIds: ['1'] })).toBe('Inactive: launches from this LMS are refused until an administrator activates it.');
    expect(describePlatformStatus({ isActive: true, deploymentIds: [] })).toBe('Active, but no deployment is approved yet: launches are refused until one is.');
    expect(describePlatformStatus({ isActive: true, deploymentIds: ['1'] })).toBe('Active: launches from this LMS are accepted.');
  });
});

describe('AdminConsoleScreen', () => {
  it('asks before deactivating, sends nothing until confirmed, then says in the status line what happened', async () => {
    const { api, calls } = consoleApi(lmsAdministratorConsole);
    render(withQueryClient(<AdminConsoleScreen api={api} session={session} onBack={() => {}} />));
    fireEvent.click(await screen.findByRole('button', { name: 'Deactivate College Moodle' }));
    expect(calls.map((call) => call.path)).toEqual(['/api/admin/console']);
    expect(screen.getByText(/refuses every launch from it at once/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Yes, deactivate College Moodle' }));
    await waitFor(() => expect(within(screen.getByRole('status')).getByText('College Moodle is now inactive: its launches are refused.')).toBeTruthy());
    expect(calls.filter((call) => call.path !== '/api/admin/console')).toEqual([{ path: '/api/admin/platforms/:platformId/active', body: { isActive: false } }]);
    await screen.findByRole('button', { name: 'Activate College Moodle' });
  });

  it('shows an LMS administrator no list of Attest administrators, and the quotas in force', async () => {
    const { api } = consoleApi(lmsAdministratorConsole);
    render(withQueryClient(<AdminConsoleScreen api={api} session={session} onBack={() => {}} />));
    await screen.findByRole('heading', { level: 2, name: 'Platforms and deployments (1)' });
    expect(screen.queryByRole('heading', { name: /Attest administrators/ })).toBeNull();
    expect(screen.getByText('500 MB')).toBeTruthy();
    // Every field of the console is labelled.
    for (const input of screen.getAllByRole('textbox')) expect(input.id && document.querySelector(`label[for="${input.id}"]`)).toBeTruthy();
  });
});
