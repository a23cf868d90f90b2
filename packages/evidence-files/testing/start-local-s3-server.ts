// `npx pnpm@10.34.9 --filter @attest/evidence-files run s3:local`: an S3-compatible server on
// 127.0.0.1:4568 with the bucket `attest-evidence`, for running the tool with ATTEST_FILE_STORE=s3
// by hand. Objects are kept in .attest-data/s3rver at the repository root. Stop with Ctrl-C.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_S3_CREDENTIALS, startLocalS3Server } from './local-s3-server.ts';

const directory = resolve(dirname(fileURLToPath(import.meta.url)), '../../../.attest-data/s3rver');
const server = await startLocalS3Server({ directory, port: 4568 });
console.log(`s3rver: bucket "${server.bucket}" at ${server.endpoint}, objects in ${directory}
Start the tool (or the demo) with:
  ATTEST_FILE_STORE=s3 ATTEST_S3_BUCKET=${server.bucket} ATTEST_S3_REGION=${server.region} \\
  ATTEST_S3_ENDPOINT=${server.endpoint} ATTEST_S3_FORCE_PATH_STYLE=true \\
  AWS_ACCESS_KEY_ID=${LOCAL_S3_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${LOCAL_S3_CREDENTIALS.secretAccessKey} npm start`);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
