/**
 * Monthly outbound feeds (fund statements, injury statistics): one delivery per closed month, from
 * the configured first month, each month once. The watermark is the last month put in the outbox,
 * so a run after an outage (or a back-filled night) catches up every month it missed.
 */
import { closedMonthsDue } from '../calendar';
import type { Delivery, OutboundContext } from './types';

export async function monthlyDeliveries(
  ctx: OutboundContext,
  firstMonth: string,
  build: (month: string) => Promise<Record<string, unknown>>,
): Promise<{ deliveries: Delivery[]; watermark?: unknown }> {
  const last = (ctx.watermark as { month?: string } | null)?.month ?? null;
  const months = closedMonthsDue(ctx.asOf, firstMonth, last);
  const deliveries: Delivery[] = [];
  for (const month of months) deliveries.push({ key: `${ctx.feed.id}/${month}`, payload: { month, ...(await build(month)) } });
  return months.length ? { deliveries, watermark: { month: months[months.length - 1] } } : { deliveries };
}
