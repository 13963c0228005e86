/** What the activity's thread and a normalization thread say to each other (structured clone). */
import type { BatchLines, NormalizeBatchInput } from '../../activities/normalize-batch';
import type { StoredRow } from '../db/raw-rows';
import type { StreamContextSpec } from '../pipeline-context';

export interface NormalizeTask {
  id: number;
  /** the stream's context; a thread derives it once per key and keeps it */
  key: string;
  spec: StreamContextSpec;
  input: NormalizeBatchInput;
  rows: readonly StoredRow[];
}

export type NormalizeReply = { id: number; lines: BatchLines } | { id: number; error: { name: string; message: string; stack?: string } };
