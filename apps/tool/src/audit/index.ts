// The audit trail (issue 8, item 11): every state change appends one entry to its tenant's hash
// chain, in the same transaction as the change. `audit verify` (src/cli/audit.ts) walks the chains.
//
//   appendAuditEntry(tx, entry)     the only writer: serialised per tenant, hashed onto the last entry
//   appendAuditEntries(tx, tenant, entries)   the same for many of one tenant, one lock and one insert
//   learnerActor / assessorActor / systemActor / CLI_ACTOR   who did it
//   verifyAuditChains(db)           every tenant's chain checked: sequence, previous hash, entry hash
export { appendAuditEntries, appendAuditEntry, lockAuditChain } from './append-audit-entry.ts';
export type { AuditActor, AuditTransaction, NewAuditEntry } from './append-audit-entry.ts';
export { CLI_ACTOR, assessorActor, learnerActor, systemActor } from './audit-actors.ts';
export { GENESIS_HASH, auditEntryHash } from './audit-entry-hash.ts';
export type { AuditEntryRow } from './audit-entry-hash.ts';
export { verifyAuditChains, verifyTenantChain } from './verify-audit-chain.ts';
export type { BrokenEntry, ChainCheck, TenantChainReport } from './verify-audit-chain.ts';
