/** "https://www.acme.com/path" → "acme.com", for display; the stored value keeps the full address. */
export function hostOf(website: string): string {
  try {
    return new URL(website).hostname.replace(/^www\./, '');
  } catch {
    return website;
  }
}
