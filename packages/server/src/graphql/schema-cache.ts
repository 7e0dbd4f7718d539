/**
 * The GraphQL schema of the live class registry, built on the first request after a Schema API change and
 * reused until the next one — never per request. Parsed and validated documents are cached per schema version,
 * so a repeated query (a screen's pipeline query) is neither parsed nor validated again.
 */
import { GraphQLError, parse, validate, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import type { Services } from '../service/services.js';
import { buildGraphQLSchema } from './build-schema.js';
import { RequestRejected } from './errors.js';
import { fragmentsOf, usesIntrospection } from './limits.js';
import type { SchemaModel } from './model.js';

/** Bigger documents are rejected by the token limit or are too rare to be worth keeping. */
const MAX_CACHED_QUERY_LENGTH = 20_000;
const MAX_CACHED_DOCUMENTS = 500;
/** graphql-js stops parsing after this many tokens, so an enormous query cannot cost much CPU. */
const MAX_TOKENS = 10_000;

export interface PreparedDocument {
  document: DocumentNode;
  fragments: Map<string, FragmentDefinitionNode>;
  introspection: boolean;
}

export class SchemaVersion {
  private readonly documents = new Map<string, PreparedDocument | RequestRejected>();

  constructor(
    readonly schema: GraphQLSchema,
    readonly model: SchemaModel,
  ) {}

  /** A parsed, validated document; a RequestRejected is thrown for syntax and validation errors. */
  document(query: string): PreparedDocument {
    let entry = this.documents.get(query);
    if (entry) {
      // Least recently used goes first: re-inserting moves this one to the back.
      this.documents.delete(query);
      this.documents.set(query, entry);
    } else {
      entry = this.prepare(query);
      if (query.length <= MAX_CACHED_QUERY_LENGTH) {
        if (this.documents.size >= MAX_CACHED_DOCUMENTS) this.documents.delete(this.documents.keys().next().value!);
        this.documents.set(query, entry);
      }
    }
    if (entry instanceof RequestRejected) throw entry;
    return entry;
  }

  private prepare(query: string): PreparedDocument | RequestRejected {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: MAX_TOKENS });
    } catch (error) {
      if (error instanceof GraphQLError) return RequestRejected.fromGraphQL(400, 'GRAPHQL_PARSE_FAILED', [error]);
      throw error;
    }
    const errors = validate(this.schema, document);
    if (errors.length) return RequestRejected.fromGraphQL(400, 'GRAPHQL_VALIDATION_FAILED', errors);
    return { document, fragments: fragmentsOf(document), introspection: usesIntrospection(document) };
  }
}

export class SchemaCache {
  private version: SchemaVersion | null = null;

  constructor(private readonly services: Services) {
    services.schema.onChange(() => {
      this.version = null;
    });
  }

  current(): SchemaVersion {
    if (!this.version) {
      const { schema, model } = buildGraphQLSchema(this.services.schema.all(), this.services.config.liveQueryClasses);
      this.version = new SchemaVersion(schema, model);
    }
    return this.version;
  }
}
