/** Reading a listing page the way a test needs it: its entries, not its headers and breadcrumbs. */

/** One listed entry: its link (HTML-unescaped, still percent-encoded), its label, its Size column. */
export interface ListedEntry {
  href: string;
  label: string;
  size: string;
}

const unescapeHtml = (text: string): string =>
  text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");

/** The entries of a listing page in the order shown (table rows or gallery tiles; `../` left out). */
export function listedEntries(html: string): ListedEntry[] {
  // A row is written on one line, its end tags left for HTML to imply.
  const rows = html.matchAll(/<(?:tr|li) class=e>(.*)\n/g);
  return [...rows].map(([, row = ""]) => {
    // A tile's link has a title, its picture, and its name in a <span>.
    const link = /<a href="([^"]*)"[^>]*>(?:<(?:img|i )[^>]*>(?:<\/i>)?)?(?:<span>)?([^<]*)(?:<\/span>)?<\/a>/.exec(
      row,
    );
    const size = /<\/a><td[^>]*>([^<]*)/.exec(row);
    return { href: unescapeHtml(link?.[1] ?? ""), label: unescapeHtml(link?.[2] ?? ""), size: size?.[1] ?? "" };
  });
}

/** The labels of a listing's entries, in order. */
export function listedLabels(html: string): string[] {
  return listedEntries(html).map((entry) => entry.label);
}

/** The parent link `../` (when the page has one), then the entries: every link a listing's rows hold. */
export function listedLinks(html: string): ListedEntry[] {
  const parent = html.includes('<a href="../">../</a>') ? [{ href: "../", label: "../", size: "" }] : [];
  return [...parent, ...listedEntries(html)];
}
