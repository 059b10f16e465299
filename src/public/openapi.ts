import { CSV_COLUMNS, SCHEMA_VERSION } from './open-data';

/**
 * OpenAPI 3.1 description of the open data and the verification endpoint. The JSON
 * schemas use only plain JSON Schema (type, properties, required, items, enum, format,
 * $ref), so any validator — and the small one in the tests — can check responses.
 */
export function openApiDocument(opts: { baseUrl: string; contact: string }) {
  const nullableString = (format?: string, description?: string) => ({
    type: ['string', 'null'],
    ...(format ? { format } : {}),
    ...(description ? { description } : {}),
  });
  const schemas = {
    Platform: {
      type: 'object',
      additionalProperties: false,
      required: ['key', 'name'],
      properties: {
        key: {
          type: 'string',
          description: 'Stable key of the platform, e.g. "facebook".',
          pattern: '^[a-z][a-z0-9_-]*$',
        },
        name: { type: 'string', description: 'Display name, e.g. "Facebook".' },
      },
    },
    OrgUnit: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'name', 'path'],
      properties: {
        code: { type: 'string', description: 'Code of the organisational unit, e.g. "41".' },
        name: { type: 'string', description: 'Name of the unit.' },
        path: {
          type: 'array',
          items: { type: 'string' },
          description: 'Names from the top of the unit tree down to and including this unit.',
        },
      },
    },
    Presence: {
      type: 'object',
      additionalProperties: false,
      required: [
        'slug',
        'name',
        'url',
        'platform',
        'orgUnit',
        'description',
        'hannoverDeUrl',
        'publishedAt',
        'lastConfirmedAt',
        'central',
        'pageUrl',
      ],
      properties: {
        slug: {
          type: 'string',
          pattern: '^[a-z0-9-]+$',
          description: 'Permanent identifier; the presence page is /angebote/{slug}.',
        },
        name: {
          type: 'string',
          description: 'Name of the presence as shown on the platform (plain text, never HTML).',
        },
        url: { type: 'string', format: 'uri', description: 'Canonical address of the account on the platform.' },
        platform: { $ref: '#/components/schemas/Platform' },
        orgUnit: { $ref: '#/components/schemas/OrgUnit' },
        description: { type: 'string', description: 'Short description (plain text, may contain line breaks).' },
        hannoverDeUrl: nullableString('uri', "The responsible unit's page on Hannover.de."),
        publishedAt: nullableString('date-time', 'When the presence was published in the register.'),
        lastConfirmedAt: nullableString(
          'date-time',
          'When the editors last confirmed that the presence is active and compliant.',
        ),
        central: { type: 'boolean', description: 'True for the central presence of the city (shown first).' },
        pageUrl: { type: 'string', format: 'uri', description: 'Permanent link to the presence page of the register.' },
      },
    },
    PresenceList: {
      type: 'object',
      additionalProperties: false,
      required: ['schemaVersion', 'publisher', 'lastModified', 'documentation', 'count', 'presences'],
      properties: {
        schemaVersion: { type: 'string', const: SCHEMA_VERSION, description: 'Version of this schema (major.minor).' },
        publisher: { type: 'string' },
        lastModified: { type: 'string', format: 'date-time', description: 'Last change of the register.' },
        documentation: { type: 'string', format: 'uri' },
        count: { type: 'integer', minimum: 0 },
        presences: { type: 'array', items: { $ref: '#/components/schemas/Presence' } },
      },
    },
    VerifyResult: {
      type: 'object',
      additionalProperties: false,
      required: [
        'schemaVersion',
        'input',
        'result',
        'reason',
        'platform',
        'accountId',
        'canonicalUrl',
        'officialUntil',
        'presence',
        'lookalikeOf',
        'warning',
      ],
      properties: {
        schemaVersion: { type: 'string', const: SCHEMA_VERSION },
        input: { type: 'string', description: 'The address as sent.' },
        result: {
          type: 'string',
          enum: ['official', 'formerly_official', 'unknown', 'unresolvable', 'impostor'],
          description:
            'official: an active presence of the city; formerly_official: was official until officialUntil; unknown: not an official presence (lookalikeOf names the presences it imitates, if any); unresolvable (since 1.1): a link of the platform (named in platform) that names no account, such as a share link from "Copy link" or a short video link — neither official nor not; ask for the address of the page or profile; impostor (since 1.2): a known fake account, confirmed by the press office (details in warning). Clients should treat unknown future values like unresolvable.',
        },
        reason: {
          type: ['string', 'null'],
          enum: ['host_not_allowed', 'not_an_account', 'not_registered', null],
          description:
            'Only for result "unknown" (null otherwise): host_not_allowed (no platform of the register uses this host — look-alike domains end here), not_an_account (a platform page that is no account), not_registered (an account the city does not run).',
        },
        platform: { oneOf: [{ $ref: '#/components/schemas/Platform' }, { type: 'null' }] },
        accountId: { type: ['string', 'null'], description: 'Canonical account id on the platform (lower case).' },
        canonicalUrl: nullableString('uri', 'Canonical address of the account.'),
        officialUntil: nullableString('date-time', 'Only for formerly_official: when the presence was closed.'),
        presence: { oneOf: [{ $ref: '#/components/schemas/Presence' }, { type: 'null' }] },
        lookalikeOf: {
          type: 'array',
          description:
            'Since 1.2. Only for result "unknown" (empty otherwise): official or formerly official presences on the same platform this account looks like (confusable letters such as a Cyrillic "о", 0/o, 1/l, added separators, digits, prefixes or suffixes, a small typing distance). It does not belong to the city.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'url', 'page', 'status'],
            properties: {
              name: { type: 'string' },
              url: { type: 'string', format: 'uri', description: 'The real account.' },
              page: { type: 'string', format: 'uri', description: 'Its page in the register.' },
              status: { type: 'string', enum: ['active', 'closed'] },
            },
          },
        },
        warning: {
          description: 'Since 1.2. Only for result "impostor" (null otherwise): the public warning.',
          oneOf: [
            {
              type: 'object',
              additionalProperties: false,
              required: ['since', 'reportedToPlatformOn', 'list'],
              properties: {
                since: { type: 'string', format: 'date-time', description: 'When the press office confirmed it.' },
                reportedToPlatformOn: {
                  type: ['string', 'null'],
                  format: 'date',
                  description: 'When the city reported it to the platform (null: not recorded).',
                },
                list: { type: 'string', format: 'uri', description: 'The page of all known fake accounts.' },
              },
            },
            { type: 'null' },
          ],
        },
      },
    },
    WarningList: {
      type: 'object',
      additionalProperties: false,
      required: ['schemaVersion', 'publisher', 'url', 'count', 'warnings'],
      properties: {
        schemaVersion: { type: 'string', const: SCHEMA_VERSION },
        publisher: { type: 'string' },
        url: { type: 'string', format: 'uri', description: 'The HTML page of the warnings.' },
        count: { type: 'integer', minimum: 0 },
        warnings: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['platform', 'accountId', 'url', 'since', 'reportedToPlatformOn'],
            properties: {
              platform: { $ref: '#/components/schemas/Platform' },
              accountId: { type: 'string', description: 'The account id (lower case).' },
              url: { type: 'string', format: 'uri', description: 'Address of the fake account.' },
              since: { type: 'string', format: 'date-time', description: 'Warned since.' },
              reportedToPlatformOn: { type: ['string', 'null'], format: 'date' },
            },
          },
        },
      },
    },
    Error: {
      type: 'object',
      additionalProperties: false,
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          additionalProperties: false,
          required: ['status', 'reason', 'message'],
          properties: {
            status: { type: 'integer' },
            reason: {
              type: 'string',
              enum: ['missing_url', 'repeated_parameter', 'empty', 'too_long', 'not_a_url', 'unsupported_scheme'],
            },
            message: { type: 'string', description: 'Explanation for people, in the language of the path.' },
            requestId: { type: 'string' },
          },
        },
      },
    },
  };

  const cacheHeaders = {
    ETag: {
      schema: { type: 'string' },
      description: 'Changes with every change of the register; send it back in If-None-Match.',
    },
    'Last-Modified': { schema: { type: 'string' } },
  };
  const notModified = { description: 'Not modified since the ETag or date sent in If-None-Match / If-Modified-Since.' };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Social-Media-Register der Landeshauptstadt Hannover – offene Daten',
      version: SCHEMA_VERSION,
      description:
        'All official social-media presences of the City of Hannover as open data, and a check whether an account is official. All endpoints are public, read-only, set no cookies and can be prefixed with /en for English texts.',
      contact: { email: opts.contact },
    },
    servers: [{ url: opts.baseUrl }],
    paths: {
      '/angebote.json': {
        get: {
          operationId: 'listPresences',
          summary: 'All active presences',
          responses: {
            '200': {
              description: 'The register of active presences.',
              headers: cacheHeaders,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/PresenceList' } } },
            },
            '304': notModified,
          },
        },
      },
      '/angebote.csv': {
        get: {
          operationId: 'listPresencesCsv',
          summary: 'All active presences as CSV',
          description: `UTF-8 with byte order mark, comma-separated, CRLF line ends, quoted per RFC 4180, one header row with the columns ${CSV_COLUMNS.join(', ')}. orgUnitPath joins the unit path with " > ". Cells that start with =, +, -, @, tab or carriage return get a leading apostrophe (formula-injection protection).`,
          responses: {
            '200': {
              description: 'CSV file.',
              headers: cacheHeaders,
              content: { 'text/csv': { schema: { type: 'string' } } },
            },
            '304': notModified,
          },
        },
      },
      '/angebote.atom': {
        get: {
          operationId: 'newPresencesFeed',
          summary: 'Atom feed of the most recently published presences',
          responses: {
            '200': {
              description: 'Atom 1.0 feed (RFC 4287); entry ids are the permanent links of the presence pages.',
              headers: cacheHeaders,
              content: { 'application/atom+xml': { schema: { type: 'string' } } },
            },
            '304': notModified,
          },
        },
      },
      '/dcat.ttl': {
        get: {
          operationId: 'dcatCatalogueTurtle',
          summary: 'DCAT-AP.de catalogue of the register (Turtle), for open-data portals such as GovData',
          responses: {
            '200': {
              description:
                'One dcat:Catalog with the dataset, its distributions (JSON, CSV, Atom, this interface) and licence; dct:modified is the time of the last change of the register.',
              headers: cacheHeaders,
              content: { 'text/turtle': { schema: { type: 'string' } } },
            },
            '304': notModified,
          },
        },
      },
      '/dcat.jsonld': {
        get: {
          operationId: 'dcatCatalogueJsonLd',
          summary: 'The same DCAT-AP.de catalogue as JSON-LD',
          responses: {
            '200': {
              description: 'JSON-LD 1.1, compacted with the DCAT prefixes; the same graph as /dcat.ttl.',
              headers: cacheHeaders,
              content: { 'application/ld+json': { schema: { type: 'object' } } },
            },
            '304': notModified,
          },
        },
      },
      '/einbetten': {
        get: {
          operationId: 'embedFragment',
          summary: 'The overview as an HTML fragment for the Hannover.de CMS',
          parameters: [
            {
              name: 'plattform',
              in: 'query',
              required: false,
              schema: { type: 'string' },
              description: 'Only presences on this platform (key).',
            },
            {
              name: 'bereich',
              in: 'query',
              required: false,
              schema: { type: 'string' },
              description: 'Only presences of this unit (code) and its sub-units.',
            },
          ],
          responses: {
            '200': {
              description: 'HTML fragment (no scripts, KERN UX classes).',
              headers: cacheHeaders,
              content: { 'text/html': { schema: { type: 'string' } } },
            },
            '304': notModified,
            '400': { description: 'Unknown platform or unit.' },
          },
        },
      },
      '/warnungen.json': {
        get: {
          operationId: 'impostorWarnings',
          summary: 'Known fake accounts: accounts that pretend to be the City of Hannover (since 1.2)',
          responses: {
            '200': {
              description: 'Confirmed fake accounts, newest warning first.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/WarningList' } } },
            },
          },
        },
      },
      '/pruefen.json': {
        get: {
          operationId: 'verifyAccount',
          summary: 'Is this account an official presence of the City of Hannover?',
          parameters: [
            {
              name: 'url',
              in: 'query',
              required: true,
              schema: { type: 'string', maxLength: 2000 },
              description: 'Address of the account, with or without https:// (e.g. facebook.com/hannover.de).',
            },
          ],
          responses: {
            '200': {
              description: 'The answer.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/VerifyResult' } } },
            },
            '400': {
              description: 'The input is no address that can be checked.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          },
        },
      },
    },
    components: { schemas },
  };
}
