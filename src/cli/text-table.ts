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

/**
 * `text` wrapped to `columns` display columns, every line after the first indented by `indent`:
 * long errors shown in full, never cut. Breaks at spaces; a word longer than a line is split.
 */
export function wrapText(text: string, columns: number, indent = ''): string[] {
  const room = Math.max(20, columns - width(indent));
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      let w = word;
      while (width(w) > room) {
        // a word wider than a line: as much of it as fits (CJK text has no spaces to break at)
        if (line) {
          lines.push(line);
          line = '';
        }
        let cut = 0;
        let n = 0;
        for (const ch of w) {
          if (n + width(ch) > room) break;
          n += width(ch);
          cut += ch.length;
        }
        lines.push(w.slice(0, cut));
        w = w.slice(cut);
      }
      if (!line) line = w;
      else if (width(line) + 1 + width(w) <= room) line += ` ${w}`;
      else {
        lines.push(line);
        line = w;
      }
    }
    lines.push(line);
  }
  return lines.map((l, i) => (i === 0 ? l : indent + l));
}
