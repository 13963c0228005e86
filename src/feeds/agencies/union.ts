/**
 * 工会 (trade unions): recognised work injuries go out for the union's assistance programme, one
 * delivery per case; the union acknowledges deliveries, and an acknowledgement settles the
 * outbox row it names (twice is the same as once).
 */
import { z } from 'zod';
import { instant, optionalText, text } from './fields';
import { recognisedCases } from './injury-cases';
import type { InboundSchema, OutboundSchema } from './types';

export const recognisedInjury: OutboundSchema = {
  async due({ db, feed }) {
    const cases = await recognisedCases(db);
    return {
      deliveries: cases.map((c) => ({
        key: `${feed.id}/${c.caseKey}`,
        payload: {
          case_key: c.caseKey,
          case_no: c.caseNo,
          city_code: c.cityCode,
          person_name: c.personName,
          id_number: c.idNumber,
          employer_name: c.employerName,
          employer_key: c.employerKey,
          accident_date: c.accidentDate,
          determination_date: c.determinationDate,
          result: c.result,
          accident_type: c.accidentType,
        },
      })),
    };
  },
};

const AckSchema = z.object({
  ack_id: text,
  /** the idempotency key of the delivery acknowledged */
  delivery_key: text,
  acknowledged_at: instant.optional(),
  note: optionalText,
});
export type DeliveryAcknowledgement = z.output<typeof AckSchema>;

export const deliveryAcknowledgement: InboundSchema<DeliveryAcknowledgement> = {
  record: AckSchema,
  idField: 'ack_id',
  async store(trx, records, { feed, outboxFeedOf }) {
    if (feed.schema !== 'delivery_acknowledgement') throw new Error(`feed ${feed.id} is not an acknowledgement feed`);
    const feeds = feed.options.acknowledges.map(outboxFeedOf);
    let settled = 0;
    let unmatched = 0;
    for (const { record } of records) {
      const n = await trx('pipeline.outbox')
        .where({ idempotency_key: record.delivery_key })
        .whereIn('feed', feeds)
        .whereIn('status', ['sent', 'pending', 'parked'])
        .update({ status: 'acknowledged', acknowledged_at: record.acknowledged_at ?? trx.fn.now(), ack_ref: record.ack_id, last_error: null });
      if (n > 0) settled += n;
      else if (!(await trx('pipeline.outbox').where({ idempotency_key: record.delivery_key }).whereIn('feed', feeds).first('id'))) unmatched++;
    }
    return { acknowledged: settled, unmatched_acknowledgements: unmatched };
  },
};
