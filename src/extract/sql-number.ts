/**
 * Numbers as written: a number where a double holds it exactly (≤ 15 significant digits), else
 * the literal's text — 18-digit IDs in BIGINT columns and DECIMAL(20,2) money must not round.
 */
export function sqlNumber(literal: string): number | string {
  // fifteen characters cannot hold sixteen digits: the common case needs no counting
  if (literal.length > 15) {
    const mantissa = literal.replace(/[eE].*$/, '');
    let digits = 0;
    let leading = true;
    for (let i = 0; i < mantissa.length; i++) {
      const c = mantissa.charCodeAt(i);
      if (c < 0x30 || c > 0x39 || (leading && c === 0x30)) continue;
      leading = false;
      digits++;
    }
    if (digits > 15) return literal;
  }
  const n = Number(literal);
  return Number.isFinite(n) ? n : literal;
}
