export { startJobQueue, SCORE_PASSBACK_QUEUE, MAINTENANCE_QUEUE, JOB_EXPIRE_SECONDS, PASSBACK_CONCURRENCY } from './start-job-queue.ts';
export type { JobQueue, JobQueueOptions } from './start-job-queue.ts';
export { deliverScorePassback, toScore } from './deliver-score-passback.ts';
