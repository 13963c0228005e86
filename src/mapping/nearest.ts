/** "Did you mean …?": the closest of the valid choices to a mistyped key, field or header text. */

/** Levenshtein edit distance (insert, delete, substitute), by code point so 身份证号 counts 4. */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[t.length]!;
}

/**
 * The choice nearest to `wrong`, if near enough to be a plausible typo: at most half the length
 * of the longer of the two edits apart (case and width differences count as edits too). Ties go to
 * the earlier choice.
 */
export function nearest(wrong: string, choices: Iterable<string>): string | undefined {
  let best: { choice: string; d: number } | undefined;
  for (const choice of choices) {
    const d = editDistance(wrong.toLowerCase(), choice.toLowerCase());
    if (!best || d < best.d) best = { choice, d };
  }
  if (!best) return undefined;
  const longer = Math.max([...wrong].length, [...best.choice].length);
  return best.d <= Math.max(1, Math.floor(longer / 2)) ? best.choice : undefined;
}

/** ` — did you mean "x"?` or '' when nothing is near. */
export function didYouMean(wrong: string, choices: Iterable<string>): string {
  const hit = nearest(wrong, choices);
  return hit === undefined ? '' : ` — did you mean ${JSON.stringify(hit)}?`;
}
