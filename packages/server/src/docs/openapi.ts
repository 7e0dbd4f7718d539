/**
 * The OpenAPI 3.1 document of the REST API, built from class definitions (the live schema on the server).
 * Pure: same classes and options, same document.
 */
import { inReadingOrder, classDescription, type DocClass } from './documented-class.js';
import { WIRE_SCHEMAS, classSchema, classUpdateSchema, ref, type JsonSchema } from './openapi-schemas.js';
import { PARAMETERS, buildPaths, type ComponentNames } from './openapi-paths.js';

export interface OpenApiOptions {
  /** Where the REST API is mounted (`/parse`); relative, so the document is right behind any proxy. */
  mountPath: string;
  version: string;
  /** A JavaScript or REST API key is configured: every request must carry one. */
  clientKeyRequired: boolean;
}

/**
 * Class names come from users and may collide with the shared schema names (a class called `Pointer`) or
 * with another class's update schema (`Deal` and a class `DealUpdate`); later names get a numeric suffix.
 */
function componentNames(classNames: readonly string[]): ComponentNames {
  const taken = new Set(Object.keys(WIRE_SCHEMAS));
  const claim = (wanted: string) => {
    let name = wanted;
    for (let n = 2; taken.has(name); n++) name = `${wanted}_${n}`;
    taken.add(name);
    return name;
  };
  const objects = new Map(classNames.map((c) => [c, claim(c)]));
  const updates = new Map(classNames.map((c) => [c, claim(`${c}Update`)]));
  return { object: (c) => objects.get(c) ?? c, update: (c) => updates.get(c) ?? `${c}Update` };
}

const apiKey = (header: string, description: string) => ({ type: 'apiKey', in: 'header', name: header, description });

function securitySchemes(clientKeyRequired: boolean): Record<string, JsonSchema> {
  return {
    ApplicationId: apiKey('X-Parse-Application-Id', 'The application id (APP_ID). Every request needs it.'),
    SessionToken: apiKey('X-Parse-Session-Token', 'A session token from POST /login or sign-up: the request runs as that user.'),
    MasterKey: apiKey(
      'X-Parse-Master-Key',
      'Full access past every ACL and permission. Accepted only from MASTER_KEY_IPS (loopback by default).',
    ),
    ...(clientKeyRequired
      ? { ClientKey: apiKey('X-Parse-REST-API-Key', 'The REST API or JavaScript key this server was configured with.') }
      : {}),
  };
}

/** Alternatives, any one of which opens the ordinary routes. */
function defaultSecurity(clientKeyRequired: boolean): Array<Record<string, string[]>> {
  const client: Record<string, string[]> = clientKeyRequired ? { ClientKey: [] } : {};
  return [
    { ApplicationId: [], ...client, SessionToken: [] },
    { ApplicationId: [], ...client },
    { ApplicationId: [], MasterKey: [] },
  ];
}

export function buildOpenApi(classes: readonly DocClass[], options: OpenApiOptions): JsonSchema {
  const ordered = inReadingOrder(classes);
  const classNames = ordered.map((c) => c.className);
  const names = componentNames(classNames);
  const classComponents = ordered.flatMap((cls) => [
    [names.object(cls.className), classSchema(cls)],
    [names.update(cls.className), classUpdateSchema(cls)],
  ]);
  return {
    openapi: '3.1.0',
    info: {
      title: 'CRM API',
      version: options.version,
      description:
        "Parse Server's REST protocol for the CRM schema, generated from the live schema (it follows every Schema API change). " +
        'Reads of the CRM classes need a signed-in user: log in, then send the session token as X-Parse-Session-Token.',
    },
    servers: [{ url: options.mountPath, description: 'This server' }],
    security: defaultSecurity(options.clientKeyRequired),
    tags: [
      ...classNames.map((name) => ({ name, ...(classDescription(name) ? { description: classDescription(name) } : {}) })),
      { name: 'Users and sessions', description: 'Sign up, log in and out, password reset' },
      { name: 'Batch' },
      { name: 'Schemas', description: 'Class definitions (master key only)' },
      { name: 'Aggregate', description: 'Distinct values and pipelines (master key only)' },
      { name: 'Operations' },
    ],
    paths: buildPaths(classNames, names),
    components: {
      schemas: { ...WIRE_SCHEMAS, ...Object.fromEntries(classComponents) },
      parameters: PARAMETERS,
      responses: {
        BadRequest: {
          description: 'Refused, with a Parse error code',
          content: { 'application/json': { schema: ref('ParseError') } },
        },
        NotFound: {
          description: 'No such object, or not visible to the caller (code 101)',
          content: { 'application/json': { schema: ref('ParseError') } },
        },
        Forbidden: {
          description: 'Wrong application id or client key, or a master-key-only route',
          content: { 'application/json': { schema: ref('Forbidden') } },
        },
      },
      securitySchemes: securitySchemes(options.clientKeyRequired),
    },
  };
}
