/**
 * 住建 (housing and construction): construction permits and projects come in; each project's
 * work-injury insurance status and its premium go back, since a permit needs the project enrolled
 * and paid first (先参保、再开工, 人社部发〔2014〕103号). A status is delivered when it changes.
 */
import { z } from 'zod';
import { outboxFeedOf } from '../config';
import { hashOf } from '../inbound';
import { projectInsuranceState, projectPremiumFen, type ProjectPremiumRule } from '../premium';
import { cityOf, division, instant, optionalText, optionalYmd, text, yuan } from './fields';
import { upsertLatest } from './latest-wins';
import type { InboundSchema, OutboundSchema } from './types';

const ProjectSchema = z.object({
  project_id: text,
  permit_no: optionalText,
  name: text,
  contractor_usc: optionalText,
  contractor_name: text,
  /** 合同价款 in 元 */
  contract_value: yuan,
  division_code: division,
  planned_start: optionalYmd,
  updated_at: instant.optional(),
});
export type ConstructionProject = z.output<typeof ProjectSchema>;

export const constructionProject: InboundSchema<ConstructionProject> = {
  record: ProjectSchema,
  idField: 'project_id',
  store: (trx, records) =>
    upsertLatest(trx, 'province.construction_project', 'project_id', records, (p) => ({
      project_id: p.project_id,
      permit_no: p.permit_no,
      name: p.name,
      contractor_usc: p.contractor_usc?.toUpperCase() ?? null,
      contractor_name: p.contractor_name,
      contract_value_fen: String(p.contract_value),
      division_code: p.division_code,
      city_code: cityOf(p.division_code),
      planned_start: p.planned_start,
      agency_updated_at: p.updated_at ?? null,
    })),
};

export const projectInsuranceStatus: OutboundSchema = {
  async due({ db, feed }) {
    if (feed.schema !== 'project_insurance_status') throw new Error(`feed ${feed.id} is not a project status feed`);
    const p = feed.options.premium;
    const rule: ProjectPremiumRule = { rate: p.rate, labourShare: p.labour_share, ...(p.minimum_fen !== undefined && { minimumFen: BigInt(p.minimum_fen) }) };
    const projects = (await db('province.construction_project')
      .orderBy('project_id')
      .select('project_id', 'permit_no', 'contract_value_fen', 'premium_paid_fen', db.raw(`to_char(enrolled_on, 'YYYY-MM-DD') as enrolled_on`))) as {
      project_id: string;
      permit_no: string | null;
      contract_value_fen: string;
      premium_paid_fen: string;
      enrolled_on: string | null;
    }[];
    // the last status delivered per project: a project is sent again only when its status changes
    const sent = new Map<string, { seq: number; hash: string }>();
    const last = (await db
      .select(db.raw(`DISTINCT ON (payload->>'project_id') payload`))
      .from('pipeline.outbox')
      .where({ feed: outboxFeedOf(feed) })
      .orderByRaw(`payload->>'project_id', (payload->>'status_seq')::int DESC`)) as { payload: Record<string, unknown> }[];
    for (const { payload } of last) {
      const { status_seq: seq, ...status } = payload;
      sent.set(String(status.project_id), { seq: Number(seq), hash: hashOf(status) });
    }
    const deliveries = [];
    for (const x of projects) {
      const premiumDueFen = projectPremiumFen(BigInt(x.contract_value_fen), rule);
      const paid = BigInt(x.premium_paid_fen);
      const status = {
        project_id: x.project_id,
        permit_no: x.permit_no,
        state: projectInsuranceState({ enrolledOn: x.enrolled_on, premiumDueFen, premiumPaidFen: paid }),
        enrolled_on: x.enrolled_on,
        contract_value_fen: x.contract_value_fen,
        premium_due_fen: String(premiumDueFen),
        premium_paid_fen: String(paid),
        premium_rule: { rate: rule.rate, labour_share: rule.labourShare },
      };
      const previous = sent.get(x.project_id);
      if (previous?.hash === hashOf(status)) continue;
      const seq = (previous?.seq ?? 0) + 1;
      deliveries.push({ key: `${feed.id}/${x.project_id}/${seq}`, payload: { ...status, status_seq: seq } });
    }
    return { deliveries };
  },
};
