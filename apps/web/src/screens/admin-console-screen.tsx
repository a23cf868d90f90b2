import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { apiRoutes, type AdminConsole, type ConsolePlatform, type Session } from '@attest/contracts';
import type { ApiClient, ApiRequestError } from '../api/api-client.ts';
import { asApiRequestError, queryKeys, useApiQuery } from '../api/api-query.ts';
import { ErrorState } from '../components/error-state.tsx';
import { LoadingState } from '../components/loading-state.tsx';
import { formatDate } from '../portfolio/feedback-list.tsx';

// The administration console (decision 21). Opened from the header of any launch whose session
// says `canAdminister`, beside the screen the launch opened, because an LMS administrator is
// usually also teaching in that course: the activity stays their work, the console is an errand.

export interface AdminConsoleScreenProps {
  api: ApiClient;
  session: Session;
  onBack: () => void;
  /**
   * The gradebook sync section, when the tool has one to show (a per-course sync dashboard is
   * built separately, apps/web/src/sync/): rendered after the platforms, nothing when absent.
   */
  gradebookSync?: ReactNode;
}

/** What the last change did, in words, for the status line (read out by screen readers). */
type Outcome = { kind: 'done'; message: string } | { kind: 'failed'; title: string; error: ApiRequestError } | null;

export const platformLabel = (platform: Pick<ConsolePlatform, 'name' | 'issuer'>) => platform.name ?? platform.issuer;

/** A platform's status in words: whether its launches get in, and what to do about it. */
export function describePlatformStatus(platform: Pick<ConsolePlatform, 'isActive' | 'deploymentIds'>): string {
  if (!platform.isActive) return 'Inactive: launches from this LMS are refused until an administrator activates it.';
  if (platform.deploymentIds.length === 0) return 'Active, but no deployment is approved yet: launches are refused until one is.';
  return 'Active: launches from this LMS are accepted.';
}

export function AdminConsoleScreen({ api, session, onBack, gradebookSync }: AdminConsoleScreenProps) {
  const [adminConsole, retry] = useApiQuery(queryKeys.adminConsole, () => api.call(apiRoutes.getAdminConsole, {}));
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [isBusy, setBusy] = useState(false);
  const queryClient = useQueryClient();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  /** Runs one change, then says what happened and reads the console again. */
  async function change(action: () => Promise<unknown>, done: string, failed: string): Promise<boolean> {
    if (isBusy) return false;
    setBusy(true);
    try {
      await action();
      setOutcome({ kind: 'done', message: done });
      await queryClient.invalidateQueries({ queryKey: queryKeys.adminConsole });
      return true;
    } catch (error) {
      setOutcome({ kind: 'failed', title: failed, error: asApiRequestError(error) });
      return false;
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="page" id="main">
      <p>
        <button type="button" className="button button-secondary" onClick={onBack}>
          Back to the activity
        </button>
      </p>
      <p className="eyebrow">Administration</p>
      <h1 ref={heading} tabIndex={-1}>
        Attest administration
      </h1>
      <div role="status" aria-live="polite" className="admin-status">
        {outcome?.kind === 'done' ? <p className="banner-success">{outcome.message}</p> : null}
      </div>
      {outcome?.kind === 'failed' ? <ErrorState title={outcome.title} error={outcome.error} /> : null}
      {adminConsole.status === 'loading' ? <LoadingState label="Loading the administration console…" /> : null}
      {adminConsole.status === 'error' ? <ErrorState title="The administration console could not be loaded" error={adminConsole.error} onRetry={retry} /> : null}
      {adminConsole.status === 'ready' ? (
        <>
          <p className="lead">
            {adminConsole.data.administrator.kind === 'attest'
              ? 'You are an Attest administrator: you manage every LMS registered with Attest.'
              : 'You are an administrator of your LMS: you manage Attest’s registration of this LMS only.'}
          </p>
          <PlatformsSection api={api} data={adminConsole.data} isBusy={isBusy} change={change} />
          {gradebookSync ?? null}
          <QualificationsSection api={api} session={session} isBusy={isBusy} change={change} />
          {adminConsole.data.administrators === null ? null : <AdministratorsSection api={api} data={adminConsole.data} administrators={adminConsole.data.administrators} isBusy={isBusy} change={change} />}
          <QuotasSection quotas={adminConsole.data.quotas} />
        </>
      ) : null}
    </main>
  );
}

type Change = (action: () => Promise<unknown>, done: string, failed: string) => Promise<boolean>;

function PlatformsSection({ api, data, isBusy, change }: { api: ApiClient; data: AdminConsole; isBusy: boolean; change: Change }) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-platforms`}>
      <h2 id={`${id}-platforms`}>Platforms and deployments ({data.platforms.length})</h2>
      {data.platforms.length === 0 ? <p>No LMS is registered yet. An LMS administrator registers Attest from their LMS (see Attest’s README, “Registering Attest in an LMS”).</p> : null}
      <ul className="card-list">
        {data.platforms.map((platform) => (
          <li key={platform.id} className="card">
            <PlatformCard api={api} platform={platform} isBusy={isBusy} change={change} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function PlatformCard({ api, platform, isBusy, change }: { api: ApiClient; platform: ConsolePlatform; isBusy: boolean; change: Change }) {
  const id = useId();
  const label = platformLabel(platform);
  const [isConfirmingDeactivation, setConfirmingDeactivation] = useState(false);
  const [name, setName] = useState(platform.name ?? '');
  const setActive = (isActive: boolean) =>
    change(() => api.call(apiRoutes.setPlatformActive, { params: { platformId: platform.id }, body: { isActive } }), `${label} is now ${isActive ? 'active: its launches are accepted' : 'inactive: its launches are refused'}.`, `${label} could not be ${isActive ? 'activated' : 'deactivated'}`);
  const rename = async (event: FormEvent) => {
    event.preventDefault();
    await change(() => api.call(apiRoutes.renamePlatform, { params: { platformId: platform.id }, body: { name } }), `The platform is now named ${name.trim()}.`, `${label} could not be renamed`);
  };

  return (
    <>
      <h3 className="card-title" id={`${id}-title`}>
        {label}
      </h3>
      <dl className="facts admin-facts">
        <div>
          <dt>Status</dt>
          <dd>{describePlatformStatus(platform)}</dd>
        </div>
        <div>
          <dt>Issuer</dt>
          <dd>{platform.issuer}</dd>
        </div>
        <div>
          <dt>Client id</dt>
          <dd>{platform.clientId}</dd>
        </div>
        <div>
          <dt>Registered</dt>
          <dd>
            {formatDate(platform.createdAt)} {platform.registeredVia === 'dynamic' ? '(by Dynamic Registration)' : '(by hand)'}
          </dd>
        </div>
        <div>
          <dt>Deployments</dt>
          <dd>{platform.deploymentIds.length > 0 ? platform.deploymentIds.join(', ') : 'none approved'}</dd>
        </div>
      </dl>
      <div className="form-actions">
        {platform.isActive ? (
          <button type="button" className="button button-secondary" aria-disabled={isBusy} aria-expanded={isConfirmingDeactivation} onClick={() => setConfirmingDeactivation(true)}>
            Deactivate {label}
          </button>
        ) : (
          <button type="button" className="button" aria-disabled={isBusy} onClick={() => void setActive(true)}>
            Activate {label}
          </button>
        )}
      </div>
      {platform.isActive && isConfirmingDeactivation ? (
        <div className="notice" role="group" aria-labelledby={`${id}-confirm`}>
          <p id={`${id}-confirm`}>
            Deactivating {label} refuses every launch from it at once, and ends every session opened from it, yours included if you launched from it. Its learners’ work is kept.
          </p>
          <div className="form-actions">
            <button type="button" className="button" aria-disabled={isBusy} onClick={() => void setActive(false).then((ok) => ok && setConfirmingDeactivation(false))}>
              Yes, deactivate {label}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setConfirmingDeactivation(false)}>
              Keep it active
            </button>
          </div>
        </div>
      ) : null}
      <form className="inline-form" onSubmit={(event) => void rename(event)}>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name of {label}</label>
          <input id={`${id}-name`} type="text" value={name} maxLength={200} required onChange={(event) => setName(event.target.value)} />
        </div>
        <button type="submit" className="button button-secondary" aria-disabled={isBusy}>
          Save the name
        </button>
      </form>
      {platform.pendingDeployments.length > 0 ? (
        <>
          <h4>Deployments waiting for approval</h4>
          <ul className="plain-list">
            {platform.pendingDeployments.map((pending) => (
              <li key={pending.deploymentId}>
                Deployment {pending.deploymentId}
                {pending.contextTitle ? `, first launched from ${pending.contextTitle}` : ''} on {formatDate(pending.firstLaunchAt)} ({pending.launches === 1 ? '1 launch' : `${pending.launches} launches`}){' '}
                <button
                  type="button"
                  className="button button-secondary button-small"
                  aria-disabled={isBusy}
                  onClick={() => void change(() => api.call(apiRoutes.approveDeployment, { params: { platformId: platform.id }, body: { deploymentId: pending.deploymentId } }), `Deployment ${pending.deploymentId} of ${label} is approved.`, `Deployment ${pending.deploymentId} could not be approved`)}
                >
                  Approve deployment {pending.deploymentId}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/**
 * Who needs a countersignature: recorded per assessor of a course, so it is set from a launch of
 * one of the course's unit activities (the existing setAssessorQualification route checks the
 * person is on that course's roster).
 */
function QualificationsSection({ api, session, isBusy, change }: { api: ApiClient; session: Session; isBusy: boolean; change: Change }) {
  const id = useId();
  const canSet = session.unitId !== null && session.context !== null && session.user.roles.includes('administrator');
  const [members] = useApiQuery(queryKeys.caseload, () => api.call(apiRoutes.getCaseload, {}), { enabled: canSet });
  return (
    <section aria-labelledby={`${id}-qualifications`}>
      <h2 id={`${id}-qualifications`}>Assessor qualifications</h2>
      <p>An assessor marked “not yet qualified” needs a qualified assessor’s countersignature on every unit they sign off.</p>
      {!canSet ? <p className="notice">Qualifications are recorded per course. To set them, open a unit activity of the course from your LMS as its administrator, then open Administration.</p> : null}
      {canSet && members.status === 'loading' ? <LoadingState label="Loading the course’s assessors…" /> : null}
      {canSet && members.status === 'error' ? <ErrorState title="The course’s assessors could not be loaded" error={members.error} /> : null}
      {canSet && members.status === 'ready' ? (
        <ul className="plain-list">
          {members.data.members
            .filter((member) => !member.isLearner)
            .map((member) => {
              const who = member.name ?? member.email ?? `User ${member.userId}`;
              const set = (qualification: 'qualified' | 'not-yet-qualified') =>
                change(
                  () => api.call(apiRoutes.setAssessorQualification, { params: { userId: member.userId }, body: { qualification } }),
                  `${who} is recorded as ${qualification === 'qualified' ? 'qualified' : 'not yet qualified: their sign-offs need a countersignature'}.`,
                  `The qualification of ${who} could not be recorded`,
                );
              return (
                <li key={member.userId} className="qualification-row">
                  <span>{who}</span>{' '}
                  <button type="button" className="button button-secondary button-small" aria-disabled={isBusy} onClick={() => void set('qualified')}>
                    Mark {who} qualified
                  </button>{' '}
                  <button type="button" className="button button-secondary button-small" aria-disabled={isBusy} onClick={() => void set('not-yet-qualified')}>
                    Mark {who} not yet qualified
                  </button>
                </li>
              );
            })}
        </ul>
      ) : null}
    </section>
  );
}

function AdministratorsSection({ api, data, administrators, isBusy, change }: { api: ApiClient; data: AdminConsole; administrators: NonNullable<AdminConsole['administrators']>; isBusy: boolean; change: Change }) {
  const id = useId();
  const [issuer, setIssuer] = useState('');
  const [userId, setUserId] = useState('');
  const [name, setName] = useState('');
  const grant = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await change(() => api.call(apiRoutes.grantAdministrator, { body: { issuer, userId, name: name.trim() === '' ? null : name } }), `${name.trim() || `User ${userId.trim()}`} is now an Attest administrator.`, 'The administrator could not be added');
    if (ok) {
      setIssuer('');
      setUserId('');
      setName('');
    }
  };
  const me = data.administrator;
  return (
    <section aria-labelledby={`${id}-administrators`}>
      <h2 id={`${id}-administrators`}>Attest administrators ({administrators.length})</h2>
      <p>They manage every registered LMS here, whatever their role in their own LMS. Each is named by their LMS’s issuer and their user id in that LMS.</p>
      <ul className="plain-list">
        {administrators.map((administrator) => {
          const who = administrator.name ?? `User ${administrator.userId}`;
          const isMe = administrator.issuer === me.issuer && administrator.userId === me.userId;
          return (
            <li key={administrator.id}>
              {who} ({administrator.issuer}, user {administrator.userId}), since {formatDate(administrator.grantedAt)}
              {isMe ? ' — you' : null}{' '}
              {isMe ? null : (
                <button type="button" className="button button-secondary button-small" aria-disabled={isBusy} onClick={() => void change(() => api.call(apiRoutes.revokeAdministrator, { params: { administratorId: administrator.id } }), `${who} is no longer an Attest administrator.`, `${who} could not be removed`)}>
                  Remove {who}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <form onSubmit={(event) => void grant(event)} className="form-section" aria-labelledby={`${id}-grant`}>
        <h3 id={`${id}-grant`}>Add an Attest administrator</h3>
        <div className="field">
          <label htmlFor={`${id}-issuer`}>Their LMS’s issuer (a URL)</label>
          <input id={`${id}-issuer`} type="text" inputMode="url" value={issuer} required onChange={(event) => setIssuer(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-user`}>Their user id in that LMS</label>
          <input id={`${id}-user`} type="text" value={userId} required maxLength={255} onChange={(event) => setUserId(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-person`}>Their name (optional)</label>
          <input id={`${id}-person`} type="text" value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" aria-disabled={isBusy}>
            Add administrator
          </button>
        </div>
      </form>
    </section>
  );
}

function QuotasSection({ quotas }: { quotas: AdminConsole['quotas'] }) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-quotas`}>
      <h2 id={`${id}-quotas`}>Quotas</h2>
      <dl className="facts admin-facts">
        <div>
          <dt>Evidence files per learner and course</dt>
          <dd>{Math.round(quotas.evidenceBytesPerLearner / (1024 * 1024))} MB</dd>
        </div>
        <div>
          <dt>Evidence items per learner and course</dt>
          <dd>{quotas.evidenceItemsPerLearner}</dd>
        </div>
      </dl>
      <p className="hint">The same for every LMS; set in Attest’s configuration (EVIDENCE_QUOTA_MB, EVIDENCE_ITEM_CAP) by whoever runs the server.</p>
    </section>
  );
}
