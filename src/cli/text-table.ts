/** Plain-text tables for terminals: columns padded by display width (CJK characters count two). */
const width = (s: string): number => [...s].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, w: number, right: boolean) => (right ? ' '.repeat(w - width(s)) + s : s + ' '.repeat(w - width(s)));

export function renderTable(headers: string[], rows: (string | number)[][], opts: { numericFrom?: number } = {}): string {
  const cells = rows.map((r) => r.map(String));
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i] ?? ''))));
  const numericFrom = opts.numericFrom ?? 1;
  const fmt = (r: string[]) => r.map((c, i) => pad(c, widths[i]!, i >= numericFrom && /^[-+]?[\d,.]+%?$/.test(c))).join('  ');
  return [fmt(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(fmt)].join('\n');
}
