/**
 * What an agency module provides for each feed schema it owns: inbound — the record shape (zod),
 * the field carrying the agency record id, and how new or changed records reach their provincial
 * table; outbound — the deliveries owed as of a nominal time, each with its idempotency key.
 */
import type { Knex } from 'knex';
import type { z } from 'zod';
import type { Db } from '../../db/knex';
import type { InboundFeed, OutboundFeed } from '../config';

export interface InboundContext {
  feed: InboundFeed;
  provinceCode: string;
  /** the outbox feed of an outbound feed id (acknowledgements name feeds by id) */
  outboxFeedOf(feedId: string): string;
}

export interface StoredRecord<R> {
  /** pipeline.feed_inbound row: the lineage of whatever the record writes */
  inboundId: string;
  /** 1 for a new record, more for a changed one */
  revision: number;
  record: R;
}

export interface InboundSchema<R> {
  record: z.ZodType<R>;
  /** the field holding the agency record id, read before validation so bad records de-duplicate too */
  idField: string;
  /** writes new and changed records in the page's transaction; returns counts worth reporting */
  store(trx: Knex.Transaction, records: StoredRecord<R>[], ctx: InboundContext): Promise<Record<string, number>>;
}

export interface Delivery {
  /** `<feed id>/<business ids>`: one delivery per key, ever */
  key: string;
  payload: Record<string, unknown>;
}

export interface OutboundContext {
  db: Db;
  feed: OutboundFeed;
  /** the nominal time of the run (a back-filled night keeps its own) */
  asOf: Date;
  watermark: unknown;
}

export interface OutboundSchema {
  /** deliveries owed now; the watermark to keep once they are in the outbox (monthly feeds) */
  due(ctx: OutboundContext): Promise<{ deliveries: Delivery[]; watermark?: unknown }>;
}
