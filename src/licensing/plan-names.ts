// How plan names are compared: the catalog's matching and the "(no Teams)" twin relation both
// read names through these two functions, so "M365-E3", "m365 e3" and "M365E3" meet.

/** Lower case, one space between words, punctuation other than + reduced to spaces. */
export function normalizeName(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/[^a-z0-9+]+/g, ' ')
    .trim();
}

/** Letters and digits only: "m365-e3", "M365E3" and "M365 E3" meet here. */
export function compactName(s: string): string {
  return normalizeName(s).replace(/[^a-z0-9+]/g, '');
}
