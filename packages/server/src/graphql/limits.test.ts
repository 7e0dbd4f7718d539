import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { builtInSchemas } from '../schema/builtin.js';
import { compileClass } from '../schema/compiled.js';
import { buildGraphQLSchema } from './build-schema.js';
import { costOf, depthOf, fragmentsOf, rootFields, usesIntrospection } from './limits.js';

const { schema } = buildGraphQLSchema(builtInSchemas().map(compileClass), ['Deal']);

function analyse(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  const fragments = fragmentsOf(document);
  return {
    depth: depthOf(operation, fragments),
    cost: costOf(operation, { schema, fragments, variables, defaultLimit: 100, maxLimit: 1000 }),
    roots: rootFields(operation, fragments),
    introspection: usesIntrospection(document),
  };
}

describe('operation analysis', () => {
  it('depth counts nested fields, not fragments', () => {
    expect(analyse('{ health }').depth).toBe(1);
    expect(analyse('{ deals { edges { node { title } } } }').depth).toBe(4);
    expect(
      analyse('{ ...Q } fragment Q on Query { deals { ... on DealConnection { edges { node { company { name } } } } } }').depth,
    ).toBe(5);
  });

  it('cost multiplies a connection’s selection by its page size', () => {
    expect(analyse('{ deals(first: 50) { edges { node { objectId title } } } }').cost).toBe(1 + 50 * 4);
    expect(analyse('{ deals { count } }').cost).toBe(1 + 100);
    expect(analyse('query($n: Int) { deals(last: $n) { count } }', { n: 7 }).cost).toBe(1 + 7);
    expect(analyse('{ deals(first: 999999) { count } }').cost).toBe(1 + 1000);
    expect(analyse('{ roles(first: 10) { edges { node { users(first: 10) { count } } } } }').cost).toBe(
      1 + 10 * (1 + 1 + 1 + 10),
    );
  });

  it('introspection fields are found anywhere and cost nothing', () => {
    expect(analyse('{ __typename health }')).toMatchObject({ introspection: false, cost: 1 });
    expect(analyse('{ a: health ... F } fragment F on Query { __type(name: "Deal") { name } }').introspection).toBe(true);
  });

  it('root fields through fragments', () => {
    expect(
      analyse(
        'mutation { a: logIn(input: {username: "u", password: "p"}) { viewer { sessionToken } } ...M } fragment M on Mutation { logOut { ok } }',
      ).roots,
    ).toEqual(['logIn', 'logOut']);
  });
});
