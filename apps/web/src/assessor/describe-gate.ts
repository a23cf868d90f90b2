import { SignOffRefusalDetailsSchema, type BlockingReason, type SignOffGate, type SignOffState } from '@attest/contracts';
import type { ApiRequestError } from '../api/api-client.ts';
import type { Verdict } from '@attest/standards';

const statementKindLabels: Record<string, string> = { 'performance-criterion': 'PC', 'assessment-criterion': 'AC', knowledge: 'Knowledge', standard: 'Standard' };

/**
 * What a blocking reason applies to, as the recording form prints it ("PC 4", "Scope 2.b"). The
 * gate names statements by their engine key, so the verdict gives back the printed kind and ref.
 */
export function labelBlockingReason(reason: BlockingReason, verdict: Verdict | null): string {
  switch (reason.where) {
    case 'statement': {
      const statement = verdict?.statements.find((s) => s.key === reason.ref);
      return statement === undefined ? `Statement ${reason.ref ?? ''}`.trim() : `${statementKindLabels[statement.kind] ?? 'Statement'} ${statement.ref}`;
    }
    case 'scope-item':
      return `Scope ${reason.ref ?? ''}`.trim();
    case 'evidence-requirement':
      return `Evidence requirement ${reason.ref ?? ''}`.trim();
    case 'rule':
      return 'Unit rule';
    case 'unit':
      return 'Unit';
    case 'sign-off':
      return reason.ref === 'candidate' ? 'Candidate declaration' : reason.ref === 'report' ? 'Assessment report' : 'Sign-off';
  }
}

export interface SignOffAvailability {
  /** The assessor may sign now. */
  canSign: boolean;
  /** Why not, one line each, in the order the server gave; empty when `canSign`. */
  blocking: string[];
}

/**
 * Whether the assessor's sign-off button is live. The server's gate decides; a missing report is
 * added here because the sign-off names the report version it signs, so there must be one.
 */
export function signOffAvailability(state: SignOffState, verdict: Verdict | null, reportVersion: number | null): SignOffAvailability {
  if (state.assessor !== null) return { canSign: false, blocking: [] };
  const blocking = state.gate.blocking.map((reason) => `${labelBlockingReason(reason, verdict)}: ${reason.message}`);
  // The button signs a report version, so it needs one even if a gate ever forgot to say so.
  if (reportVersion === null && !state.gate.blocking.some((reason) => reason.code === 'report_missing')) blocking.push('Assessment report: save the assessment report before signing off.');
  return { canSign: state.gate.isOpen && reportVersion !== null, blocking };
}

/** "Awaiting countersignature" and friends, for the caseload and the sign-off panel. */
export function describeSignOffStage(stage: SignOffState['stage']): string {
  return stage === 'completed' ? 'Signed off' : stage === 'awaiting-countersignature' ? 'Signed, awaiting countersignature' : 'Not signed off';
}

/** The gate a refused sign-off (422) came back with, so the reasons shown are the server's latest; null otherwise. */
export function gateOfRefusal(error: ApiRequestError): SignOffGate | null {
  if (error.status !== 422) return null;
  const details = SignOffRefusalDetailsSchema.safeParse(error.details);
  return details.success ? details.data.gate : null;
}
