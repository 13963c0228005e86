/**
 * HTML by tagged template: every interpolated value is escaped unless it is already `Html`
 * (another template, or `raw`), so data from city files can never become markup.
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Markup the caller vouches for (constants only). */
export const raw = (markup: string): Html => new Html(markup);

export { chinaTime } from '../steward/display';

/** A raw cell or normalized value as text for a page: empty cells visibly empty. */
export function cellDisplay(value: unknown): string {
  if (value === null || value === undefined || value === '') return '∅';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
