/**
 * The operations of the REST API as OpenAPI path items: the per-class routes for every class of the live
 * schema, then the fixed routes (users, sessions, batch, schemas, aggregate). Mirrors rest/routes.ts; the
 * docs test walks this document against the running server, so a drift shows up there.
 */
import { ref, type JsonSchema } from './openapi-schemas.js';

export interface ComponentNames {
  /** className → name of its object schema and of its update-body schema */
  object(className: string): string;
  update(className: string): string;
}

/** Operations by HTTP method, plus path-level `parameters`. */
type PathItem = Record<string, unknown>;

/** Only the master key opens these; an application id alone gets 403. */
const MASTER_ONLY = [{ ApplicationId: [], MasterKey: [] }];

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const body = (schema: JsonSchema, description?: string) => ({
  required: true,
  ...(description ? { description } : {}),
  content: json(schema),
});
const ok = (schema: JsonSchema, description = 'Success') => ({ description, content: json(schema) });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });

const errors = (...statuses: Array<'400' | '403' | '404'>) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      { $ref: `#/components/responses/${{ '400': 'BadRequest', '403': 'Forbidden', '404': 'NotFound' }[status]}` },
    ]),
  );

const results = (item: JsonSchema) => ({
  type: 'object',
  required: ['results'],
  properties: {
    results: { type: 'array', items: item },
    count: { type: 'integer', description: 'Present when count=1 was asked for' },
  },
});

const withSessionToken = (user: JsonSchema) => ({
  allOf: [user, { type: 'object', required: ['sessionToken'], properties: { sessionToken: { type: 'string' } } }],
});

const FIND_PARAMS = ['where', 'order', 'limit', 'skip', 'keys', 'excludeKeys', 'include', 'count'].map(param);
const GET_PARAMS = ['keys', 'excludeKeys', 'include'].map(param);

export const PARAMETERS: Readonly<Record<string, JsonSchema>> = {
  where: {
    name: 'where',
    in: 'query',
    description:
      'Constraints as JSON, e.g. `{"stage":"won","amount":{"$gt":1000}}`. Operators: $lt $lte $gt $gte $ne $in $nin $exists $regex $inQuery $notInQuery $select $dontSelect $relatedTo $or $and $nor $all.',
    schema: { type: 'string' },
  },
  order: {
    name: 'order',
    in: 'query',
    description: 'Comma-separated fields to sort by; `-` for descending, e.g. `stage,-amount`.',
    schema: { type: 'string' },
  },
  limit: {
    name: 'limit',
    in: 'query',
    description: 'Page size (default 100; at most MAX_LIMIT). 0 with count=1 counts without fetching.',
    schema: { type: 'integer', minimum: 0 },
  },
  skip: {
    name: 'skip',
    in: 'query',
    description: 'Objects to skip before the page starts.',
    schema: { type: 'integer', minimum: 0 },
  },
  keys: {
    name: 'keys',
    in: 'query',
    description: 'Comma-separated fields to return (objectId, createdAt and updatedAt always come).',
    schema: { type: 'string' },
  },
  excludeKeys: {
    name: 'excludeKeys',
    in: 'query',
    description: 'Comma-separated fields to leave out.',
    schema: { type: 'string' },
  },
  include: {
    name: 'include',
    in: 'query',
    description:
      'Comma-separated pointer fields to replace by the objects they point at; dotted paths go deeper (`contact.company`), `*` takes every pointer.',
    schema: { type: 'string' },
  },
  count: {
    name: 'count',
    in: 'query',
    description: '1 adds the total number of matching objects as `count`.',
    schema: { type: 'integer', enum: [0, 1] },
  },
  objectId: { name: 'objectId', in: 'path', required: true, schema: { type: 'string' } },
  className: {
    name: 'className',
    in: 'path',
    required: true,
    description: 'Any class of the schema',
    schema: { type: 'string' },
  },
};

function classPaths(className: string, names: ComponentNames): Record<string, PathItem> {
  const object = ref(names.object(className));
  const tags = [className];
  return {
    [`/classes/${className}`]: {
      get: {
        tags,
        operationId: `${className}_find`,
        summary: `Find ${className} objects`,
        parameters: FIND_PARAMS,
        responses: { 200: ok(results(object)), ...errors('400', '403') },
      },
      post: {
        tags,
        operationId: `${className}_create`,
        summary: `Create a ${className}`,
        requestBody: body(object),
        responses: {
          201: {
            ...ok(ref('Created'), 'Created'),
            headers: { Location: { description: 'URL of the new object', schema: { type: 'string' } } },
          },
          ...errors('400', '403'),
        },
      },
    },
    [`/classes/${className}/{objectId}`]: {
      parameters: [param('objectId')],
      get: {
        tags,
        operationId: `${className}_get`,
        summary: `Get one ${className}`,
        parameters: GET_PARAMS,
        responses: { 200: ok(object), ...errors('400', '403', '404') },
      },
      put: {
        tags,
        operationId: `${className}_update`,
        summary: `Update a ${className}`,
        requestBody: body(ref(names.update(className))),
        responses: { 200: ok(ref('Updated')), ...errors('400', '403', '404') },
      },
      delete: {
        tags,
        operationId: `${className}_delete`,
        summary: `Delete a ${className}`,
        responses: { 200: ok(ref('Empty')), ...errors('400', '403', '404') },
      },
    },
  };
}

function accountPaths(names: ComponentNames): Record<string, PathItem> {
  const user = ref(names.object('_User'));
  const tags = ['Users and sessions'];
  const session = ref(names.object('_Session'));
  return {
    '/users': {
      get: {
        tags,
        operationId: 'findUsers',
        summary: 'Find users',
        parameters: FIND_PARAMS,
        responses: { 200: ok(results(user)), ...errors('400', '403') },
      },
      post: {
        tags,
        operationId: 'signUp',
        summary: 'Sign up',
        description: 'Creates a user and signs them in: the answer carries a session token.',
        requestBody: body(user),
        responses: { 201: ok(withSessionToken(ref('Created')), 'Signed up'), ...errors('400', '403') },
      },
    },
    '/login': {
      post: {
        tags,
        operationId: 'logIn',
        summary: 'Log in',
        description:
          'Answers the user with a `sessionToken`: send it as X-Parse-Session-Token (the playground fills it into Authorize for you).',
        requestBody: body({
          type: 'object',
          required: ['username', 'password'],
          properties: { username: { type: 'string' }, password: { type: 'string', format: 'password' } },
        }),
        responses: {
          200: ok(withSessionToken(user)),
          ...errors('400', '403'),
          404: { description: 'Invalid username/password (code 101)', content: json(ref('ParseError')) },
        },
      },
    },
    '/logout': {
      post: {
        tags,
        operationId: 'logOut',
        summary: 'Log out',
        description: 'Ends the session whose token the request carries.',
        responses: { 200: ok(ref('Empty')), ...errors('400', '403') },
      },
    },
    '/users/me': {
      get: {
        tags,
        operationId: 'currentUser',
        summary: 'The signed-in user',
        responses: { 200: ok(withSessionToken(user)), ...errors('400', '403') },
      },
    },
    '/requestPasswordReset': {
      post: {
        tags,
        operationId: 'requestPasswordReset',
        summary: 'Mail a password reset link',
        requestBody: body({ type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } }),
        responses: { 200: ok(ref('Empty')), ...errors('400', '403') },
      },
    },
    '/sessions': {
      get: {
        tags,
        operationId: 'findSessions',
        summary: "The caller's sessions",
        parameters: FIND_PARAMS,
        responses: { 200: ok(results(session)), ...errors('400', '403') },
      },
    },
    '/sessions/me': {
      get: {
        tags,
        operationId: 'currentSession',
        summary: 'The session of this request',
        responses: { 200: ok(session), ...errors('400', '403') },
      },
    },
  };
}

const SCHEMA_BODY = {
  type: 'object',
  description: 'A class definition as the Schema API reads and writes it.',
  properties: {
    className: { type: 'string' },
    fields: {
      type: 'object',
      description: 'Field name → definition. On PUT, `{"__op":"Delete"}` removes a field.',
      additionalProperties: {
        type: 'object',
        properties: {
          type: { enum: ['String', 'Number', 'Boolean', 'Date', 'Object', 'Array', 'Pointer', 'Relation'] },
          targetClass: { type: 'string' },
          targetClasses: {
            type: 'array',
            items: { type: 'string' },
            description: 'Classes a Pointer without targetClass may reach (an extension of this server)',
          },
          required: { type: 'boolean' },
          defaultValue: {},
          description: { type: 'string', description: 'Shown in the data dictionary and in this document' },
          __op: { const: 'Delete' },
        },
      },
    },
    classLevelPermissions: { type: 'object' },
    indexes: { type: 'object' },
  },
};

function platformPaths(): Record<string, PathItem> {
  const schemaTags = ['Schemas'];
  const schemaOps = errors('400', '403');
  return {
    '/batch': {
      post: {
        tags: ['Batch'],
        operationId: 'batch',
        summary: 'Several requests in one',
        description:
          'Each request succeeds or fails alone, unless `transaction` is true: then all succeed or nothing is written.',
        requestBody: body({
          type: 'object',
          required: ['requests'],
          properties: {
            requests: {
              type: 'array',
              maxItems: 1000,
              items: {
                type: 'object',
                required: ['method', 'path'],
                properties: {
                  method: { enum: ['GET', 'POST', 'PUT', 'DELETE'] },
                  path: { type: 'string', examples: ['/parse/classes/Deal'] },
                  body: { type: 'object' },
                },
              },
            },
            transaction: { type: 'boolean' },
          },
        }),
        responses: {
          200: ok({
            type: 'array',
            items: {
              oneOf: [
                { type: 'object', required: ['success'], properties: { success: {} } },
                { type: 'object', required: ['error'], properties: { error: ref('ParseError') } },
              ],
            },
          }),
          ...errors('400', '403'),
        },
      },
    },
    '/schemas': {
      get: {
        tags: schemaTags,
        operationId: 'listSchemas',
        summary: 'Every class definition',
        security: MASTER_ONLY,
        responses: { 200: ok(results(SCHEMA_BODY)), ...schemaOps },
      },
      post: {
        tags: schemaTags,
        operationId: 'createClass',
        summary: 'Create a class',
        security: MASTER_ONLY,
        requestBody: body(SCHEMA_BODY),
        responses: { 200: ok(SCHEMA_BODY), ...schemaOps },
      },
    },
    '/schemas/{className}': {
      parameters: [param('className')],
      get: {
        tags: schemaTags,
        operationId: 'getSchema',
        summary: 'One class definition',
        security: MASTER_ONLY,
        responses: { 200: ok(SCHEMA_BODY), ...schemaOps },
      },
      put: {
        tags: schemaTags,
        operationId: 'updateClass',
        summary: 'Add or delete fields, change permissions',
        security: MASTER_ONLY,
        requestBody: body(SCHEMA_BODY),
        responses: { 200: ok(SCHEMA_BODY), ...schemaOps },
      },
      delete: {
        tags: schemaTags,
        operationId: 'deleteClass',
        summary: 'Delete an empty class',
        security: MASTER_ONLY,
        responses: { 200: ok(ref('Empty')), ...schemaOps },
      },
    },
    '/aggregate/{className}': {
      parameters: [param('className')],
      get: {
        tags: ['Aggregate'],
        operationId: 'aggregate',
        summary: 'Distinct values or an aggregation pipeline',
        security: MASTER_ONLY,
        parameters: [
          { name: 'distinct', in: 'query', description: 'A field whose distinct values to list', schema: { type: 'string' } },
          {
            name: 'pipeline',
            in: 'query',
            description: 'Pipeline stages as JSON, e.g. `[{"$group":{"_id":"$stage","total":{"$sum":"$amount"}}}]`',
            schema: { type: 'string' },
          },
          param('where'),
        ],
        responses: { 200: ok(results({})), ...schemaOps },
      },
    },
    '/health': {
      get: {
        tags: ['Operations'],
        operationId: 'health',
        summary: 'Liveness',
        security: [],
        responses: { 200: ok({ type: 'object', properties: { status: { const: 'ok' } } }) },
      },
    },
  };
}

export function buildPaths(classNames: readonly string[], names: ComponentNames): Record<string, PathItem> {
  return Object.assign({}, ...classNames.map((c) => classPaths(c, names)), accountPaths(names), platformPaths());
}
