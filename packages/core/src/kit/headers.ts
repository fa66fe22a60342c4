/** @module Header helpers. */

/** Merges header records left to right; later values win, `undefined` values are dropped. */
export function combineHeaders(...sources: (Record<string, string | undefined> | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) {
    if (!source) continue;
    for (const [name, value] of Object.entries(source)) {
      if (value === undefined) continue;
      const existing = Object.keys(out).find((k) => k.toLowerCase() === name.toLowerCase());
      if (existing !== undefined) delete out[existing];
      out[name] = value;
    }
  }
  return out;
}

/** Joins a base URL and a path with exactly one slash between them. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
