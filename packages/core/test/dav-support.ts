/**
 * Reading a 207 Multi-Status in tests, namespace-aware: every response's href and its propstats,
 * each property by `{namespace}local` with its text (or `<collection/>` for a collection's type).
 */
import { SaxesParser } from "saxes";

export interface Propstat {
  status: string;
  /** `{DAV:}getetag` → its text. */
  props: Map<string, string>;
}

export interface DavResponse {
  href: string;
  propstats: Propstat[];
}

/** The properties of `response` whose propstat says `status` (`200` or `404`). */
export function propsWith(response: DavResponse | undefined, status: number): Map<string, string> {
  const found = response?.propstats.find((propstat) => propstat.status === `HTTP/1.1 ${status} ${REASON[status]}`);
  return found?.props ?? new Map();
}

const REASON: Record<number, string> = { 200: "OK", 404: "Not Found" };

/** Parses a multistatus body; throws on anything that is not well-formed XML of that shape. */
export function parseMultistatus(xml: string): DavResponse[] {
  const parser = new SaxesParser({ xmlns: true });
  const responses: DavResponse[] = [];
  const path: string[] = [];
  let text = "";
  let prop: { name: string; text: string } | undefined;
  parser.on("text", (chunk) => {
    text += chunk;
  });
  parser.on("opentag", (tag) => {
    const name = `{${tag.uri}}${tag.local}`;
    const parent = path.at(-1);
    if (name === "{DAV:}response") responses.push({ href: "", propstats: [] });
    if (name === "{DAV:}propstat") responses.at(-1)?.propstats.push({ status: "", props: new Map() });
    if (parent === "{DAV:}prop") prop = { name, text: "" };
    else if (prop !== undefined) prop.text += `<${tag.local}/>`;
    path.push(name);
    text = "";
  });
  parser.on("closetag", (tag) => {
    const name = path.pop();
    const response = responses.at(-1);
    const propstat = response?.propstats.at(-1);
    if (name === "{DAV:}href" && response) response.href = text;
    if (name === "{DAV:}status" && propstat) propstat.status = text;
    if (prop !== undefined && name === prop.name && path.at(-1) === "{DAV:}prop") {
      propstat?.props.set(prop.name, prop.text + (tag.isSelfClosing ? "" : text));
      prop = undefined;
    }
    text = "";
  });
  parser.write(xml).close();
  return responses;
}
