import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Larger decoded XML is refused: a SAML response is a few KiB, and AWS takes an assertion of 50,000 characters at most. */
export const MAX_XML_CHARS = 2 * 1024 * 1024;
/** A SAML response nests about ten elements deep; deeper XML is refused before it can cost time or stack. */
export const MAX_XML_DEPTH = 64;

/** An element: its local name (the namespace prefix dropped), attributes by local name, children and text. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its children's), entity references of XML's five and character references decoded. */
  text: string;
}

/** Input the saml command refuses, with its problem code: one class for the capture's and the XML's refusals. */
export class SamlInputError extends Error {
  override name = 'SamlInputError';
  constructor(message: string, readonly code: 'SAML_TOO_LARGE' | 'SAML_DTD' | 'SAML_TOO_DEEP' | 'SAML_NOT_XML' | 'SAML_NOT_FOUND' | 'SAML_NOT_RESPONSE' | 'EMPTY_INPUT') {
    super(message);
  }
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Only XML's predefined entities and character references are decoded, by hand: the parser is told to expand
 * none (a DTD is refused before it is read, so no other entity can be defined). An unknown reference stays as
 * it is written.
 */
export function decodeReferences(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED[ref] ?? whole;
  });
}

/** How deep the elements nest, counted over the text in one pass (no parsing): refused early when too deep. */
function depthOf(xml: string, limit: number): number {
  let depth = 0;
  let max = 0;
  for (let i = xml.indexOf('<'); i !== -1; i = xml.indexOf('<', i + 1)) {
    const next = xml.charCodeAt(i + 1);
    if (next === 0x2f /* / */) depth--;
    else if (next !== 0x21 /* ! */ && next !== 0x3f /* ? */) {
      const end = xml.indexOf('>', i);
      if (end === -1) break;
      if (xml.charCodeAt(end - 1) !== 0x2f) depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    }
  }
  return max;
}

/**
 * Parses a SAML message safely: bounded size, no DTD (so no entity, internal or external, can be defined,
 * expanded or fetched), bounded nesting, well-formedness checked first. Throws SamlInputError with a problem code.
 */
export function parseXml(xml: string): XmlElement {
  if (xml.length > MAX_XML_CHARS) {
    throw new SamlInputError(`the XML is ${xml.length.toLocaleString('en-US')} characters, more than the ${MAX_XML_CHARS.toLocaleString('en-US')} a SAML response can need: refused`, 'SAML_TOO_LARGE');
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new SamlInputError('the XML declares a DOCTYPE or an entity: refused (a SAML response has no DTD; entities could expand without bound or read local files)', 'SAML_DTD');
  }
  if (depthOf(xml, MAX_XML_DEPTH) > MAX_XML_DEPTH) {
    throw new SamlInputError(`the XML nests elements more than ${MAX_XML_DEPTH} deep: refused (a SAML response nests about ten)`, 'SAML_TOO_DEEP');
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new SamlInputError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`, 'SAML_NOT_XML');
  let tree: unknown;
  try {
    tree = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      processEntities: false,
      htmlEntities: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      maxNestedTags: MAX_XML_DEPTH,
    }).parse(xml);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/nested/i.test(message)) throw new SamlInputError(`the XML nests elements more than ${MAX_XML_DEPTH} deep: refused`, 'SAML_TOO_DEEP');
    throw new SamlInputError(`not well-formed XML: ${message}`, 'SAML_NOT_XML');
  }
  const roots = convert(tree);
  if (roots.length !== 1) throw new SamlInputError('not well-formed XML: no single root element', 'SAML_NOT_XML');
  return roots[0]!;
}

type Ordered = Record<string, unknown>;

function convert(nodes: unknown): XmlElement[] {
  if (!Array.isArray(nodes)) return [];
  const out: XmlElement[] = [];
  for (const node of nodes as Ordered[]) {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (name === undefined || name === '#text' || name.startsWith('?') || name === '#comment') continue;
    const rawAttrs = (node[':@'] ?? {}) as Record<string, unknown>;
    const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [key, value] of Object.entries(rawAttrs)) attrs[key] = decodeReferences(String(value));
    const body = node[name];
    const kids = Array.isArray(body) ? (body as Ordered[]) : [];
    const text = kids.filter((k) => '#text' in k).map((k) => decodeReferences(String(k['#text']))).join('');
    out.push({ name, attrs, children: convert(kids), text });
  }
  return out;
}

/** Child elements of this local name. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((c) => c.name === name) : [];
}

export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/** Every element of this local name, at any depth below (not including) the element. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const stack = [...element.children].reverse();
  while (stack.length) {
    const next = stack.pop()!;
    if (next.name === name) out.push(next);
    for (let i = next.children.length - 1; i >= 0; i--) stack.push(next.children[i]!);
  }
  return out;
}
