/** Builds the production workflow bundle: `npm run build:workflows [out.js]`; point
 * TONGCHOU_WORKFLOW_BUNDLE at it so workers start without bundling. */
import path from 'node:path';
import { buildWorkflowBundle } from '../src/workflow-bundle';

const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
buildWorkflowBundle(out).then(
  (file) => process.stdout.write(`${file}\n`),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
