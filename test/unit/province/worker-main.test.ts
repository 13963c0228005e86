import { loadConfig } from '../../../src/config';
import { productionProblems } from '../../../src/worker-main';

test('a production worker refuses to start without its services and a pre-built bundle, naming every gap', () => {
  expect(productionProblems(loadConfig({ dataDir: '/tmp/x' }, {}))).toEqual([
    'DATABASE_URL is not set',
    'TEMPORAL_ADDRESS is not set',
    'TONGCHOU_WORKFLOW_BUNDLE is not set (build one with `npm run build:workflows`)',
  ]);
  const env = { DATABASE_URL: 'postgres://u@h/db', TEMPORAL_ADDRESS: 'h:7233', TONGCHOU_WORKFLOW_BUNDLE: '/nowhere/bundle.js' };
  expect(productionProblems(loadConfig({ dataDir: '/tmp/x' }, env))).toEqual(['TONGCHOU_WORKFLOW_BUNDLE: no such file /nowhere/bundle.js']);
  expect(productionProblems(loadConfig({ dataDir: '/tmp/x' }, { ...env, TONGCHOU_WORKFLOW_BUNDLE: __filename }))).toEqual([]);
});
