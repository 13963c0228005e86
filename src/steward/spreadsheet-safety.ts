/**
 * Formula injection (CSV/公式注入): a text cell that starts with `=`, `+`, `-` or `@` is run as a
 * formula by Excel and WPS. Every exported text cell gets a leading `'`; an imported cell that
 * carries exactly that prefix gets it back off, so an untouched value round-trips unchanged.
 */

const FORMULA_START = /^[=+\-@]/;

export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The inverse of `neutralizeFormula` for text read back from an exported workbook. */
export function restoreNeutralized(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}
