import type { StorageUsage } from '@attest/contracts';
import { formatBytes } from './upload-request.ts';

/** "38 MB of 500 MB used · 12 of 200 items": the learner's quota in this course, in one line. */
export function describeStorageUsage(usage: StorageUsage): string {
  return `${formatBytes(usage.bytesUsed)} of ${formatBytes(usage.bytesLimit)} used · ${usage.itemsUsed} of ${usage.itemsLimit} items`;
}

/** What a full quota means for the learner, or null while there is room. */
export function describeQuotaReached(usage: StorageUsage): string | null {
  if (usage.bytesLeft <= 0) return `Your evidence in this course has reached its ${formatBytes(usage.bytesLimit)} limit: remove files you no longer need before adding more, or ask your tutor.`;
  if (usage.itemsLeft <= 0) return `You keep ${usage.itemsLimit} evidence items in this course, the most allowed: add files to an existing item, or ask your tutor.`;
  return null;
}

/** Refuses a file that cannot fit in what is left before it is sent; the server checks again. */
export function checkFileAgainstQuota(file: { name: string; size: number }, bytesLeft: number): string | null {
  return file.size > bytesLeft ? `${file.name} was not added: it is ${formatBytes(file.size)} and your evidence in this course has ${formatBytes(Math.max(0, bytesLeft))} left.` : null;
}

/** The usage line, and the full-quota sentence when there is no room left. */
export function StorageUsageLine({ usage, id }: { usage: StorageUsage; id?: string }) {
  const reached = describeQuotaReached(usage);
  return (
    <p className="hint" id={id}>
      {describeStorageUsage(usage)}
      {reached === null ? null : (
        <>
          <br />
          <strong>{reached}</strong>
        </>
      )}
    </p>
  );
}
