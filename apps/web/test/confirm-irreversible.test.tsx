// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ApiClient } from '../src/api/api-client.ts';
import { SignOffPanel } from '../src/assessor/sign-off-panel.tsx';
import { makeSignOffState } from './assessor-factories.ts';
import { withQueryClient } from './with-query-client.tsx';

// Issue 11 item 9: an act that cannot be undone asks once, in words that say so, and sends nothing
// until it is confirmed; keeping things as they are sends nothing and gives focus back.

afterEach(cleanup);

function recordingApi() {
  const sent: string[] = [];
  const api = {
    call: async (route: { path: string }) => {
      sent.push(route.path);
      return new Promise(() => undefined);
    },
    getBlob: async () => new Blob(),
    urlOf: () => '',
    token: 't',
    baseUrl: '',
  } as unknown as ApiClient;
  return { api, sent };
}

function renderPanel(api: ApiClient, qualification: 'qualified' | 'not-yet-qualified') {
  render(withQueryClient(<SignOffPanel api={api} learnerUserId="learner-1" userId="assessor-1" profile={{ userId: 'assessor-1', name: 'Sam', qualification, setBy: null, setAt: null }} verdict={null} state={makeSignOffState()} reportVersion={1} onChanged={() => undefined} />));
}

describe('irreversible acts in the sign-off panel', () => {
  it('asks before signing off, sends nothing on “Not yet” and gives focus back, and signs on “Yes”', async () => {
    const { api, sent } = recordingApi();
    renderPanel(api, 'not-yet-qualified');
    fireEvent.click(screen.getByLabelText(/I confirm/));
    const signOff = screen.getByRole('button', { name: 'Sign off the unit' });
    fireEvent.click(signOff);
    const dialog = screen.getByRole('alertdialog', { name: 'Sign off this unit?' });
    expect(dialog.textContent).toContain('Your signature is final');
    expect(dialog.textContent).toContain('Only a reopening, with its reason recorded, can change it.');
    // Focus is on the safe choice: Enter alone does not sign.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Not yet' }));
    expect(signOff.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Not yet' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(signOff);
    expect(sent.filter((path) => path.includes('sign-off'))).toEqual([]);

    fireEvent.click(signOff);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Yes, sign off the unit' })));
    expect(sent.filter((path) => path.includes('sign-off'))).toHaveLength(1);
  });

  it('asks before marking the assessor not yet qualified, saying only an administrator can undo it', async () => {
    const { api, sent } = recordingApi();
    renderPanel(api, 'qualified');
    fireEvent.click(screen.getByRole('button', { name: 'Mark me as not yet qualified' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Mark yourself as not yet qualified?' });
    expect(dialog.textContent).toContain('only an administrator can');
    expect(sent.filter((path) => path.includes('qualification'))).toEqual([]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Yes, mark me as not yet qualified' })));
    expect(sent.filter((path) => path.includes('qualification'))).toHaveLength(1);
  });
});
