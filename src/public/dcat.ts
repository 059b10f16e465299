import type { Quad, Quad_Object, WriterOptions } from 'n3';
import type { Config } from '../config';
import type { Translate } from '../web/i18n';

/**
 * The register as a DCAT-AP.de catalogue (https://www.dcat-ap.de/def/dcatde/), the format
 * GovData and the CKAN portals feeding it harvest: one catalogue with one dataset whose
 * distributions are the open-data files and the OpenAPI-described interface. Every node is
 * an IRI (no blank nodes), so the Turtle and JSON-LD serialisations compare as plain sets
 * of triples. docs/open-data.md describes it; test/public/dcat-shapes.ttl checks it.
 */

/** n3 (and jsonld, below) are loaded with the first catalogue, not at every start of the portal. */
const n3 = () => import('n3');

export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dcatde: 'http://dcat-ap.de/def/dcatde/',
  dcatap: 'http://data.europa.eu/r5r/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
} as const;

/** Controlled vocabularies DCAT-AP.de prescribes. */
const EU = 'http://publications.europa.eu/resource/authority/';
export const VOCAB = {
  fileType: (code: string) => `${EU}file-type/${code}`,
  mediaType: (type: string) => `https://www.iana.org/assignments/media-types/${type}`,
  language: (code: string) => `${EU}language/${code}`,
  theme: (code: string) => `${EU}data-theme/${code}`,
  themeScheme: `${EU}data-theme`,
  frequency: (code: string) => `${EU}frequency/${code}`,
  accessRight: (code: string) => `${EU}access-right/${code}`,
  availability: (code: string) => `${EU}planned-availability/${code}`,
  publisherType: (code: string) => `http://purl.org/adms/publishertype/${code}`,
  /** Amtlicher Gemeindeschlüssel of Hannover. */
  municipality: 'http://dcat-ap.de/def/politicalGeocoding/municipalityKey/03241001',
  municipalityLevel: 'http://dcat-ap.de/def/politicalGeocoding/Level/municipality',
} as const;

const PREFIXES: Record<string, string> = { ...NS };

export interface CatalogueInput {
  baseUrl: string;
  operator: Config['operator'];
  openData: Config['openData'];
  /** Time of the register's last change (register_state). */
  modified: Date;
  /** First publication of a presence (the dataset's start); `modified` if none yet. */
  issued: Date;
  /** German and English texts: the catalogue carries both. */
  t: { de: Translate; en: Translate };
}

/** Addresses of the catalogue's nodes, all inside the catalogue document. */
export const nodeIri = (baseUrl: string, name: string) => `${baseUrl}/dcat.ttl#${name}`;

interface Distribution {
  key: 'json' | 'csv' | 'atom' | 'api';
  path: string;
  fileType: string;
  mediaType: string;
  download: boolean;
}

const DISTRIBUTIONS: Distribution[] = [
  { key: 'json', path: '/angebote.json', fileType: 'JSON', mediaType: 'application/json', download: true },
  { key: 'csv', path: '/angebote.csv', fileType: 'CSV', mediaType: 'text/csv', download: true },
  { key: 'atom', path: '/angebote.atom', fileType: 'ATOM', mediaType: 'application/atom+xml', download: true },
  {
    key: 'api',
    path: '/api/openapi.json',
    fileType: 'JSON',
    mediaType: 'application/vnd.oai.openapi+json',
    download: false,
  },
];

/** A telephone number as a tel: IRI (RFC 3966, hyphens as visual separators). */
export function telIri(phone: string): string | undefined {
  const digits = phone
    .trim()
    .replace(/[\s/().]+/g, '-')
    .replace(/[^0-9+-]/g, '')
    .replace(/-+/g, '-')
    .replace(/-$/, '');
  return /^\+[0-9][0-9-]{4,}$/.test(digits) ? `tel:${digits}` : undefined;
}

/** The catalogue as RDF quads (default graph). */
export async function catalogueQuads(input: CatalogueInput): Promise<Quad[]> {
  const { DataFactory } = await n3();
  // oxlint-disable-next-line typescript/unbound-method -- n3's factory functions do not use `this`
  const { namedNode, literal, quad } = DataFactory;
  const { baseUrl, operator, openData, t } = input;
  const out: Quad[] = [];
  /** Types of the vocabulary terms used, written after the register's own nodes. */
  const vocabulary: Quad[] = [];
  const iri = (name: string) => namedNode(nodeIri(baseUrl, name));
  const p = (prefix: keyof typeof NS, local: string) => namedNode(`${NS[prefix]}${local}`);
  const add = (s: string, pred: ReturnType<typeof p>, o: Quad_Object) => out.push(quad(namedNode(s), pred, o));
  const a = (s: string, prefix: keyof typeof NS, cls: string) => add(s, p('rdf', 'type'), p(prefix, cls));
  const texts = (s: string, pred: ReturnType<typeof p>, key: Parameters<Translate>[0]) => {
    add(s, pred, literal(t.de(key), 'de'));
    add(s, pred, literal(t.en(key), 'en'));
  };
  const dateTime = (d: Date) => literal(d.toISOString(), p('xsd', 'dateTime'));
  /** An IRI of a controlled vocabulary, typed with the class DCAT-AP expects for it. */
  const term = (s: string, pred: ReturnType<typeof p>, value: string, prefix: keyof typeof NS, cls: string) => {
    add(s, pred, namedNode(value));
    vocabulary.push(quad(namedNode(value), p('rdf', 'type'), p(prefix, cls)));
  };

  const catalog = iri('catalog').value;
  const dataset = iri('dataset').value;
  const service = iri('api').value;
  const publisher = iri('publisher').value;
  const contact = iri('contact').value;
  const home = `${baseUrl}/`;
  const license = openData.license;
  const attribution = operator.name;

  // ---- catalogue ----
  a(catalog, 'dcat', 'Catalog');
  texts(catalog, p('dct', 'title'), 'public.dcat.catalogTitle');
  texts(catalog, p('dct', 'description'), 'public.dcat.catalogDescription');
  add(catalog, p('dct', 'publisher'), namedNode(publisher));
  add(catalog, p('foaf', 'homepage'), namedNode(home));
  vocabulary.push(quad(namedNode(home), p('rdf', 'type'), p('foaf', 'Document')));
  term(catalog, p('dct', 'language'), VOCAB.language('DEU'), 'dct', 'LinguisticSystem');
  term(catalog, p('dct', 'language'), VOCAB.language('ENG'), 'dct', 'LinguisticSystem');
  term(catalog, p('dct', 'license'), license, 'dct', 'LicenseDocument');
  add(catalog, p('dct', 'issued'), dateTime(input.issued));
  add(catalog, p('dct', 'modified'), dateTime(input.modified));
  term(catalog, p('dcat', 'themeTaxonomy'), VOCAB.themeScheme, 'skos', 'ConceptScheme');
  term(catalog, p('dct', 'spatial'), VOCAB.municipality, 'dct', 'Location');
  add(catalog, p('dcat', 'dataset'), namedNode(dataset));
  add(catalog, p('dcat', 'service'), namedNode(service));

  // ---- dataset ----
  a(dataset, 'dcat', 'Dataset');
  texts(dataset, p('dct', 'title'), 'public.dcat.datasetTitle');
  texts(dataset, p('dct', 'description'), 'public.dcat.datasetDescription');
  add(dataset, p('dct', 'identifier'), literal(dataset));
  add(dataset, p('dct', 'publisher'), namedNode(publisher));
  add(dataset, p('dcat', 'contactPoint'), namedNode(contact));
  term(dataset, p('dcat', 'theme'), VOCAB.theme('GOVE'), 'skos', 'Concept');
  for (const [lang, tr] of [
    ['de', t.de],
    ['en', t.en],
  ] as const) {
    for (const word of tr('public.dcat.keywords').split('|')) add(dataset, p('dcat', 'keyword'), literal(word, lang));
  }
  add(dataset, p('dcat', 'landingPage'), namedNode(home));
  term(dataset, p('dct', 'language'), VOCAB.language('DEU'), 'dct', 'LinguisticSystem');
  term(dataset, p('dct', 'accrualPeriodicity'), VOCAB.frequency('CONT'), 'dct', 'Frequency');
  term(dataset, p('dct', 'accessRights'), VOCAB.accessRight('PUBLIC'), 'dct', 'RightsStatement');
  term(dataset, p('dct', 'spatial'), VOCAB.municipality, 'dct', 'Location');
  add(dataset, p('dcatde', 'politicalGeocodingURI'), namedNode(VOCAB.municipality));
  add(dataset, p('dcatde', 'politicalGeocodingLevelURI'), namedNode(VOCAB.municipalityLevel));
  if (openData.contributorId) add(dataset, p('dcatde', 'contributorID'), namedNode(openData.contributorId));
  add(dataset, p('dct', 'issued'), dateTime(input.issued));
  add(dataset, p('dct', 'modified'), dateTime(input.modified));

  // ---- distributions ----
  for (const d of DISTRIBUTIONS) {
    const node = iri(`distribution-${d.key}`).value;
    const url = namedNode(`${baseUrl}${d.path}`);
    add(dataset, p('dcat', 'distribution'), namedNode(node));
    a(node, 'dcat', 'Distribution');
    texts(node, p('dct', 'title'), `public.dcat.${d.key}Title`);
    texts(node, p('dct', 'description'), `public.dcat.${d.key}Description`);
    add(node, p('dcat', 'accessURL'), url);
    if (d.download) add(node, p('dcat', 'downloadURL'), url);
    else add(node, p('dcat', 'accessService'), namedNode(service));
    term(node, p('dct', 'format'), VOCAB.fileType(d.fileType), 'dct', 'MediaTypeOrExtent');
    term(node, p('dcat', 'mediaType'), VOCAB.mediaType(d.mediaType), 'dct', 'MediaType');
    term(node, p('dct', 'license'), license, 'dct', 'LicenseDocument');
    add(node, p('dcatde', 'licenseAttributionByText'), literal(attribution, 'de'));
    term(node, p('dcatap', 'availability'), VOCAB.availability('STABLE'), 'skos', 'Concept');
    add(node, p('dct', 'issued'), dateTime(input.issued));
    add(node, p('dct', 'modified'), dateTime(input.modified));
  }

  // ---- the interface ----
  a(service, 'dcat', 'DataService');
  texts(service, p('dct', 'title'), 'public.dcat.apiTitle');
  texts(service, p('dct', 'description'), 'public.dcat.apiDescription');
  add(service, p('dcat', 'endpointURL'), namedNode(home));
  add(service, p('dcat', 'endpointDescription'), namedNode(`${baseUrl}/api/openapi.json`));
  add(service, p('dcat', 'servesDataset'), namedNode(dataset));
  add(service, p('dct', 'publisher'), namedNode(publisher));
  add(service, p('dcat', 'contactPoint'), namedNode(contact));
  term(service, p('dct', 'license'), license, 'dct', 'LicenseDocument');
  term(service, p('dct', 'accessRights'), VOCAB.accessRight('PUBLIC'), 'dct', 'RightsStatement');

  // ---- publisher and contact point (the operator settings) ----
  a(publisher, 'foaf', 'Agent');
  a(publisher, 'foaf', 'Organization');
  add(publisher, p('foaf', 'name'), literal(operator.name, 'de'));
  term(publisher, p('dct', 'type'), VOCAB.publisherType('LocalAuthority'), 'skos', 'Concept');
  add(publisher, p('foaf', 'homepage'), namedNode(home));
  if (operator.email) add(publisher, p('foaf', 'mbox'), namedNode(`mailto:${operator.email}`));

  a(contact, 'vcard', 'Organization');
  add(contact, p('vcard', 'fn'), literal(operator.unit ? `${operator.name}, ${operator.unit}` : operator.name));
  if (operator.unit) add(contact, p('vcard', 'organization-unit'), literal(operator.unit));
  if (operator.email) add(contact, p('vcard', 'hasEmail'), namedNode(`mailto:${operator.email}`));
  const tel = telIri(operator.phone);
  if (tel) add(contact, p('vcard', 'hasTelephone'), namedNode(tel));
  const address = /^(.+?),\s*(\d{5})\s+(.+)$/.exec(operator.address.trim());
  if (address) {
    const node = iri('contact-address').value;
    add(contact, p('vcard', 'hasAddress'), namedNode(node));
    a(node, 'vcard', 'Address');
    add(node, p('vcard', 'street-address'), literal(address[1] as string));
    add(node, p('vcard', 'postal-code'), literal(address[2] as string));
    add(node, p('vcard', 'locality'), literal(address[3] as string));
    add(node, p('vcard', 'country-name'), literal('Deutschland', 'de'));
  }
  add(contact, p('vcard', 'hasURL'), namedNode(home));

  // one block per node in Turtle: statements grouped by subject (in order of first
  // appearance), then the vocabulary types, each once
  const bySubject = new Map<string, Quad[]>();
  for (const q of out) {
    const list = bySubject.get(q.subject.value) ?? [];
    list.push(q);
    bySubject.set(q.subject.value, list);
  }
  const seen = new Set<string>();
  return [...[...bySubject.values()].flat(), ...vocabulary].filter((q) => {
    const key = `${q.subject.value} ${q.predicate.value} ${q.object.termType}:${q.object.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function write(quads: Quad[], options: WriterOptions): Promise<string> {
  const { Writer } = await n3();
  return new Promise((resolve, reject) => {
    const writer = new Writer(options);
    writer.addQuads(quads);
    writer.end((error, result: string) => (error ? reject(error) : resolve(result)));
  });
}

export function toTurtle(quads: Quad[]): Promise<string> {
  return write(quads, { prefixes: PREFIXES });
}

export function toNQuads(quads: Quad[]): Promise<string> {
  return write(quads, { format: 'N-Quads' });
}

/** The catalogue never refers to a remote context: a request for one is a bug, never a download. */
const noRemoteDocuments = (url: string): Promise<never> =>
  Promise.reject(new Error(`dcat: no remote JSON-LD documents are loaded (${url})`));

export async function toJsonLd(quads: Quad[]): Promise<string> {
  const { default: jsonld } = await import('jsonld');
  const expanded = await jsonld.fromRDF(await toNQuads(quads), { format: 'application/n-quads' });
  const compacted = await jsonld.compact(expanded, { ...PREFIXES }, { documentLoader: noRemoteDocuments });
  return `${JSON.stringify(compacted, null, 2)}\n`;
}
