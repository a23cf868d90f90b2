import { toDayNumber } from './day-number.ts';
import type { PortfolioFactsInput, Signature } from './portfolio-facts-schema.ts';
import type { Unit } from './unit-schema.ts';
import type { Reason, SignOffVerdict } from './verdict.ts';
import type { SignOffRole } from './vocabularies.ts';

/** A step of the unit's sign-off chain. */
type PlannedStep = {
  role: SignOffRole;
  ifSampled: boolean;
  /** The step the unit's data lacked and the engine added. */
  isAssumed: boolean;
};

export type SignOffPlan = { chain: PlannedStep[]; hasSampledInternalVerifier: boolean };

const VERIFICATION_ROLES: ReadonlySet<SignOffRole> = new Set(['internal-verifier', 'internal-verifier-countersignature', 'external-verifier']);
const ASSESSOR_STEP_ASSUMED: Reason = Object.freeze({ code: 'assessor_step_assumed', params: Object.freeze({}) });

export function planSignOff(unit: Unit): SignOffPlan {
  const steps = unit.signOff.map((step): PlannedStep => ({ role: step.role, ifSampled: step.ifSampled ?? false, isAssumed: false }));
  // Some forms lost their sign-off block in extraction; the assessor's signature is still what
  // makes a unit signed off, so the chain always has an assessor step.
  const hasAssessorStep = steps.some((step) => step.role === 'assessor');
  return {
    chain: hasAssessorStep ? steps : [{ role: 'assessor', ifSampled: false, isAssumed: true }, ...steps],
    hasSampledInternalVerifier: unit.signOff.some((step) => step.role === 'internal-verifier' && step.ifSampled === true),
  };
}

const bySignedDate = (a: Signature, b: Signature) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.signerId < b.signerId ? -1 : a.signerId > b.signerId ? 1 : 0);

/**
 * Each step of the chain signed, awaited or not required. A role's signature counts from its
 * earliest date on or before asOf; later ones are reported on the unit (added to `unitReasons`).
 * Signed off when some sign-off step is signed and none awaited; verified likewise for verification.
 */
export function evaluateSignOff(plan: SignOffPlan, facts: PortfolioFactsInput, asOfDay: number, unitReasons: Reason[]) {
  const signatures = facts.signatures ?? [];
  const valid = signatures.filter((s) => toDayNumber(s.date) <= asOfDay);
  const future = signatures.filter((s) => toDayNumber(s.date) > asOfDay).sort(bySignedDate);
  for (const s of future) unitReasons.push({ code: 'signature_dated_after_as_of', params: { role: s.role, date: s.date } });
  const signOff = plan.chain.map((step) => {
    const signedOn = valid.filter((s) => s.role === step.role).reduce<string | null>((earliest, s) => (earliest === null || s.date < earliest ? s.date : earliest), null);
    return signOffStep(plan, step, signedOn, facts);
  });
  return { signOff, isSignedOff: isDone(signOff, 'sign-off'), isVerified: isDone(signOff, 'verification'), hasSignature: valid.length > 0 };
}

/** Some step of the stage signed, and none awaited. */
function isDone(signOff: readonly SignOffVerdict[], stage: SignOffVerdict['stage']): boolean {
  const steps = signOff.filter((s) => s.stage === stage);
  return steps.some((s) => s.status === 'signed') && !steps.some((s) => s.status === 'awaiting');
}

function signOffStep(plan: SignOffPlan, step: PlannedStep, signedOn: string | null, facts: PortfolioFactsInput): SignOffVerdict {
  const stage = VERIFICATION_ROLES.has(step.role) ? 'verification' : 'sign-off';
  if (signedOn !== null) return { role: step.role, ifSampled: step.ifSampled, stage, status: 'signed', signedOn, reasons: withAssumption(step, { code: 'signature_present', params: { role: step.role, date: signedOn } }) };
  const notRequired = whyNotRequired(plan, step, facts);
  if (notRequired === null) return { role: step.role, ifSampled: step.ifSampled, stage, status: 'awaiting', signedOn: null, reasons: withAssumption(step, { code: 'signature_missing', params: { role: step.role } }) };
  return { role: step.role, ifSampled: step.ifSampled, stage, status: 'not-required', signedOn: null, reasons: [notRequired] };
}

const withAssumption = (step: PlannedStep, reason: Reason): Reason[] => (step.isAssumed ? [reason, ASSESSOR_STEP_ASSUMED] : [reason]);

/** A countersignature the facts do not ask for, or a step for a sample this portfolio is not in. */
function whyNotRequired(plan: SignOffPlan, step: PlannedStep, facts: PortfolioFactsInput): Reason | null {
  const sampledBy: readonly string[] = facts.sampledBy ?? [];
  const countersign: readonly string[] = facts.countersignaturesRequired ?? [];
  const sampler = step.role === 'external-verifier' ? 'external-verifier' : 'internal-verifier';
  const countersignatureOf = step.role === 'assessor-countersignature' ? 'assessor' : step.role === 'internal-verifier-countersignature' ? 'internal-verifier' : null;
  // The internal verifier's countersignature follows the internal verifier's sample when that step is sampled.
  if (step.ifSampled && !sampledBy.includes(sampler)) return { code: 'signature_not_sampled', params: { role: step.role } };
  if (step.role === 'internal-verifier-countersignature' && !step.ifSampled && plan.hasSampledInternalVerifier && !sampledBy.includes('internal-verifier')) return { code: 'signature_not_sampled', params: { role: step.role } };
  if (countersignatureOf !== null && !countersign.includes(countersignatureOf)) return { code: 'signature_not_required', params: { role: step.role } };
  return null;
}
