/** The frame the docs pages share: escaping and the navigation between the REST playground, GraphiQL and the schema. */

export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export interface NavTarget {
  href: string;
  label: string;
}

export interface PageParts {
  title: string;
  /** Path of this page, to mark it in the navigation. */
  current: string;
  nav: readonly NavTarget[];
  head?: string;
  body: string;
}

const STYLE = `
  body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2937;background:#fff}
  .docs-nav{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1.25rem;padding:.6rem 1.25rem;background:#1e293b;color:#f8fafc}
  .docs-nav strong{font-size:1.05rem;margin-right:.5rem}
  .docs-nav nav{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
  .docs-nav a{color:#cbd5e1;text-decoration:none;padding:.2rem 0;border-bottom:2px solid transparent}
  .docs-nav a:hover{color:#fff}
  .docs-nav a[aria-current=page]{color:#fff;border-bottom-color:#60a5fa}
`;

export function page({ title, current, nav, head = '', body }: PageParts): string {
  const links = nav
    .map((t) => `<a href="${escapeHtml(t.href)}"${t.href === current ? ' aria-current="page"' : ''}>${escapeHtml(t.label)}</a>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
${head}
</head>
<body>
<header class="docs-nav"><strong>CRM API</strong><nav>${links}</nav></header>
${body}
</body>
</html>
`;
}
