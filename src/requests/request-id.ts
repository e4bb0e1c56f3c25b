// What a request id looks like wherever one is typed or stored: a positive integer, shown as #12.

/** "12", "#12", "R12", " r12 " -> "12"; anything else -> undefined. */
export function normalizeRequestId(id: string | number | undefined | null): string | undefined {
  if (id === undefined || id === null) return undefined;
  const m = /^\s*(?:#|r)?\s*(\d{1,15})\s*$/i.exec(String(id));
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? String(n) : undefined;
}
