import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  for (const s of (globalThis.__tongchouTestServices ?? []).reverse()) await s.stop().catch(() => undefined);
  const dir = process.env.TONGCHOU_TEST_RUN_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
