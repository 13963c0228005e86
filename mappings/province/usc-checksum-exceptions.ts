/**
 * The province's unified-social-credit-code checksum-exception list (统一社会信用代码校验例外名单).
 *
 * Pilot-era codes issued before GB 32100-2015 are legal but fail the MOD 31 check (a Fujian
 * example: 91350100M0001TGQXM). A code listed here is loaded with warning `usc_code.exception`
 * instead of being rejected `usc_code.checksum`; it must still have the right length and alphabet.
 *
 * PLACEHOLDER: empty until the provincial registration authority supplies its list. Entries are
 * the normalized form: 18 upper-case half-width characters. Each entry should carry a comment
 * naming its source document.
 */
export const USC_CHECKSUM_EXCEPTIONS: ReadonlySet<string> = new Set<string>([
  // e.g. '91350100M0001TGQXM', // source: …
]);
