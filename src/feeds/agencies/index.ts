/** Every feed schema, by name, to the agency module that implements it. */
import type { InboundFeed, OutboundFeed } from '../config';
import { fundStatement, remittanceAlert, remittanceInstruction, transferReceipt } from './finance';
import { constructionProject, projectInsuranceStatus } from './housing';
import type { InboundSchema, OutboundSchema } from './types';
import { deliveryAcknowledgement, recognisedInjury } from './union';
import { accidentReport, injuryStatisticsFeed } from './work-safety';

export const INBOUND_SCHEMAS: Record<InboundFeed['schema'], InboundSchema<unknown>> = {
  transfer_receipt: transferReceipt,
  construction_project: constructionProject,
  accident_report: accidentReport,
  delivery_acknowledgement: deliveryAcknowledgement,
};

export const OUTBOUND_SCHEMAS: Record<OutboundFeed['schema'], OutboundSchema> = {
  remittance_instruction: remittanceInstruction,
  remittance_alert: remittanceAlert,
  fund_statement: fundStatement,
  project_insurance_status: projectInsuranceStatus,
  injury_statistics: injuryStatisticsFeed,
  recognised_injury: recognisedInjury,
};
