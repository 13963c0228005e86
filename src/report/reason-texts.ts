/**
 * What each reason, skip and warning code is called in the province report and its workbook, in
 * Chinese and English. Not a table of its own: the titles of the one reason-text table
 * (src/steward/reason-texts.ts), so the CLI, the workbench, the reject workbooks and the reports
 * say the same words for the same code.
 */
import { EXPLAINED_CODES, reasonText as explained } from '../steward/reason-texts';

export interface ReasonText {
  zh: string;
  en: string;
}

export function reasonText(code: string): ReasonText {
  return { zh: explained(code, 'zh').title, en: explained(code, 'en').title };
}

export const REASON_TEXTS: Readonly<Record<string, ReasonText>> = Object.fromEntries(EXPLAINED_CODES.map((code) => [code, reasonText(code)]));
