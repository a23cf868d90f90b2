// @vitest-environment happy-dom
import { act, renderHook, waitFor } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { apiRoutes, pathOf, type ApiRoute, type EvidenceItem, type EvidenceMappingTarget, type GradeStatus } from '@attest/contracts';
import { ApiRequestError, type ApiClient, type ResponseSchema } from '../src/api/api-client.ts';
import { createQueryClient } from '../src/api/api-query.ts';
import { useGradeStatus } from '../src/assessor/sign-off-panel.tsx';
import { blankDraft } from '../src/portfolio/evidence-editor.tsx';
import { useEvidenceAutosave } from '../src/portfolio/use-evidence-autosave.ts';
import { evidenceScope, useEvidenceItem } from '../src/portfolio/use-evidence-item.ts';
import { useMappingAutosave } from '../src/portfolio/use-mapping-autosave.ts';
import { useSubmitEvidence } from '../src/portfolio/use-submit-evidence.ts';
import { makeItem } from './portfolio-factories.ts';
import './dom-patience.ts';

type Call = { method: 'GET' | 'POST' | 'PUT'; path: string; body: unknown; reply: (value: unknown) => void; fail: (error: unknown) => void };

/** An API whose every request waits until the test answers it, so the order of requests can be seen. */
function heldApi() {
  const calls: Call[] = [];
  const call = (route: ApiRoute & { response: ResponseSchema<unknown> }, input: { params?: Record<string, string>; body?: unknown }) =>
    new Promise((resolve, reject) => {
      calls.push({ method: route.method as Call['method'], path: pathOf(route, (input.params ?? {}) as never), body: input.body, reply: (value) => resolve(route.response.parse(value)), fail: reject });
    });
  const api = { call, getBlob: () => Promise.reject(new Error('unused')), urlOf: () => '', token: 't', baseUrl: '' } as unknown as ApiClient;
  return { api, calls };
}

function wrapper({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={createQueryClient()}>{children}</QueryClientProvider>;
}

const target: EvidenceMappingTarget = { unitId: 'unit-209', target: 'statement', ref: '209.1.1' };

/** The three hooks as the editor wires them, around one item. */
function useEditorHooks(api: ApiClient, item: EvidenceItem | null) {
  const scope = evidenceScope(item?.id ?? 'new');
  const evidence = useEvidenceItem(item, () => undefined);
  const saved: EvidenceItem[] = [];
  const autosave = useEvidenceAutosave({ api, item: evidence, blank: blankDraft('2026-05-20'), scope, isLocked: false, onSaved: (next) => saved.push(next) });
  const adopt = (next: EvidenceItem) => {
    evidence.noteServer(next);
    evidence.setCurrent(next);
    autosave.dispatch({ type: 'version', version: next.version });
  };
  const mappings = useMappingAutosave({ api, item: evidence, scope, onPreview: () => undefined, onSaved: adopt, onConflict: (conflict) => autosave.dispatch({ type: 'conflict', ...conflict }) });
  const submit = useSubmitEvidence({ api, item: evidence, scope, save: autosave.save, onSubmitted: adopt });
  return { evidence, autosave, mappings, submit };
}

describe('useEvidenceAutosave', () => {
  it('creates the item with one POST once typing stops, then saves the next edit as a PUT on the version the POST returned', async () => {
    const { api, calls } = heldApi();
    const { result } = renderHook(() => useEditorHooks(api, null), { wrapper });
    act(() => result.current.autosave.edit({ title: 'Returns desk' }));
    act(() => result.current.autosave.edit({ title: 'Returns desk display' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/api/evidence', body: { title: 'Returns desk display' } });
    await act(async () => calls[0]?.reply(makeItem({ id: 'item-new', title: 'Returns desk display', version: 1 })));
    await waitFor(() => expect(result.current.autosave.state.status).toBe('saved'));
    expect(result.current.evidence.current?.id).toBe('item-new');

    act(() => result.current.autosave.edit({ description: 'I set up a display.' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toMatchObject({ method: 'PUT', path: '/api/evidence/item-new', body: { baseVersion: 1, draft: { description: 'I set up a display.' } } });
  });
});

describe('useMappingAutosave', () => {
  it('sends a run of ticks as one save, and the text save made meanwhile waits for it and names its version', async () => {
    const item = makeItem({ id: 'item-7', version: 4 });
    const { api, calls } = heldApi();
    const { result } = renderHook(() => useEditorHooks(api, item), { wrapper });
    act(() => result.current.mappings.toggle(target, true));
    act(() => result.current.mappings.toggle({ ...target, ref: '209.1.2' }, true));
    expect(result.current.mappings.status).toBe('Saving mappings…');
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ method: 'PUT', path: '/api/evidence/item-7/mappings', body: { baseVersion: 4, mappings: [target, { ...target, ref: '209.1.2' }] } });

    // A text save made while the mappings are on their way does not start until they are answered.
    act(() => result.current.autosave.edit({ title: 'Renamed' }));
    let saving!: Promise<string | null>;
    act(() => {
      saving = result.current.autosave.save();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toHaveLength(1);
    const mapped = makeItem({ id: 'item-7', version: 5, mappings: [{ ...target, decision: 'pending', feedback: null, method: 'PE' }] });
    await act(async () => calls[0]?.reply(mapped));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toMatchObject({ method: 'PUT', path: '/api/evidence/item-7', body: { baseVersion: 5, draft: { title: 'Renamed' } } });
    await act(async () => calls[1]?.reply({ ...mapped, title: 'Renamed', version: 6 }));
    expect(await saving).toBeNull();
    expect(result.current.mappings.status).toBe('Mappings saved');
  });

  it('shows the server’s mappings and says so when the item changed elsewhere', async () => {
    const item = makeItem({ id: 'item-8', version: 2 });
    const { api, calls } = heldApi();
    const { result } = renderHook(() => useEditorHooks(api, item), { wrapper });
    act(() => result.current.mappings.toggle(target, true));
    await waitFor(() => expect(calls).toHaveLength(1));
    const theirs = makeItem({ id: 'item-8', version: 3, mappings: [{ ...target, ref: '209.2.1', decision: 'pending', feedback: null, method: 'PE' }] });
    await act(async () => calls[0]?.fail(new ApiRequestError('api', 'Changed elsewhere.', { status: 409, details: { current: theirs, conflictCopyId: 'copy-1' } })));
    await waitFor(() => expect(result.current.mappings.error).toContain('mappings were changed elsewhere'));
    expect(result.current.mappings.targets).toEqual([{ ...target, ref: '209.2.1' }]);
    expect(result.current.mappings.status).toBe('');
  });
});

describe('useSubmitEvidence', () => {
  it('saves the text still waiting first, then submits the version that save produced', async () => {
    const item = makeItem({ id: 'item-9', version: 1 });
    const { api, calls } = heldApi();
    const { result } = renderHook(() => useEditorHooks(api, item), { wrapper });
    act(() => result.current.autosave.edit({ title: 'Final title' }));
    let submitting!: Promise<string | null>;
    act(() => {
      submitting = result.current.submit();
    });
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ method: 'PUT', path: '/api/evidence/item-9', body: { baseVersion: 1 } });
    await act(async () => calls[0]?.reply({ ...item, title: 'Final title', version: 2 }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toMatchObject({ method: 'POST', path: '/api/evidence/item-9/submit', body: { baseVersion: 2 } });
    await act(async () => calls[1]?.reply({ ...item, title: 'Final title', version: 3, state: 'submitted', submittedAt: '2026-05-20T10:00:00Z' }));
    expect(await submitting).toBeNull();
    expect(result.current.evidence.current?.state).toBe('submitted');
  });

  it('does not submit while the text cannot be saved, and says why', async () => {
    const item = makeItem({ id: 'item-10', version: 1 });
    const { api, calls } = heldApi();
    const { result } = renderHook(() => useEditorHooks(api, item), { wrapper });
    act(() => result.current.autosave.edit({ title: '' }));
    let problem: string | null = null;
    await act(async () => {
      problem = await result.current.submit();
    });
    expect(problem).not.toBeNull();
    expect(calls).toEqual([]);
  });
});

describe('useGradeStatus', () => {
  const pending: GradeStatus = { state: 'pending', activityProgress: 'Completed', gradingProgress: 'FullyGraded', attempts: 1, lastError: null, updatedAt: null };

  it('polls a pending grade until it is sent, then stops', async () => {
    const { api, calls } = heldApi();
    const load = () => api.call(apiRoutes.getGradeStatus, { params: { userId: 'learner-1' } });
    const { result } = renderHook(() => useGradeStatus('learner-1', pending, [10], load), { wrapper });
    expect(result.current).toEqual(pending);
    await waitFor(() => expect(calls).toHaveLength(1));
    await act(async () => calls[0]?.reply(pending));
    await waitFor(() => expect(calls).toHaveLength(2));
    const sent: GradeStatus = { ...pending, state: 'sent' };
    await act(async () => calls[1]?.reply(sent));
    await waitFor(() => expect(result.current.state).toBe('sent'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toHaveLength(2);
  });

  it('does not poll a grade that is not pending', async () => {
    const { api, calls } = heldApi();
    const load = () => api.call(apiRoutes.getGradeStatus, { params: { userId: 'learner-1' } });
    renderHook(() => useGradeStatus('learner-1', { ...pending, state: 'sent' }, [10], load), { wrapper });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toEqual([]);
  });
});
