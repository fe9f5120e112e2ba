import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  getNamedType,
  getOperationAST,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** How operations are priced and what one may cost. */
export interface CostLimits {
  /** Most an operation may cost. */
  maxCost: number;
  /** Most aliased fields an operation may hold (each alias is one more call of its field). */
  maxAliases: number;
  /** Items assumed for a list field without a page size argument. */
  defaultListSize: number;
  /** Extra cost of a field beyond the 1 every object-returning field costs, by `Type.field`. */
  fieldCosts: Readonly<Record<string, number>>;
}

/**
 * Extra costs of the fields that do real work per call: a search embeds its text in the worker
 * pool and searches the vector index; a slate gathers candidates from six sources and logs every
 * item it serves; a shopper's recommendations, behaviour summary and the analytics releases scan
 * events.
 */
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  'Query.searchProducts': 20,
  'Query.recommendations': 20,
  'User.recommendations': 10,
  'User.behaviourSummary': 5,
  'Query.behaviourFunnel': 20,
  'Query.behaviourFunnelByProduct': 20,
  'Query.activityPatterns': 20,
  'Query.sessionStatistics': 20,
  'Query.categoryAffinity': 20,
  'Query.repeatPurchase': 20,
  'Query.experimentResults': 20,
};

/** Items assumed for a list without a page size argument: the lists the schema returns whole are short (a slate's items, a review's aspects). */
export const DEFAULT_LIST_SIZE = 10;

export interface OperationCost {
  cost: number;
  aliases: number;
}

/** Page size arguments: the list a field returns (or the connection's nodes) holds at most this many. */
const SIZE_ARGUMENTS = ['first', 'last', 'limit'];

/**
 * The price of one operation: every object it can return costs 1 (a scalar nothing), and each call
 * of a field in `fieldCosts` its extra. A list holds its page size of objects (the
 * `first`/`last`/`limit` argument as sent, else its default, else `defaultListSize`), and
 * everything selected inside it is paid once per object; a connection's page size is the size of
 * the list inside it (`nodes`, `edges`). Fragments count where they are spread; `__typename` is free.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  limits: Pick<CostLimits, 'defaultListSize' | 'fieldCosts'>,
): OperationCost {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return { cost: 0, aliases: 0 };
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const total: OperationCost = { cost: 0, aliases: 0 };

  const sizeOf = (field: GraphQLField<unknown, unknown>, node: FieldNode): number | null => {
    for (const name of SIZE_ARGUMENTS) {
      const argument = field.args.find((candidate) => candidate.name === name);
      if (!argument) continue;
      const given = node.arguments?.find((candidate) => candidate.name.value === name);
      const value: unknown = given ? valueFromAST(given.value, argument.type, variables ?? undefined) : argument.defaultValue;
      if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
    }
    return null;
  };

  const visit = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, times: number, pendingSize: number | null): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (condition && isCompositeType(condition)) visit(selection.selectionSet, condition, times, pendingSize);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const condition = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && condition && isCompositeType(condition)) visit(fragment.selectionSet, condition, times, pendingSize);
        continue;
      }
      if (selection.alias) total.aliases += 1;
      const name = selection.name.value;
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
      if (!field) continue;
      const returns = getNamedType(field.type);
      const size = sizeOf(field, selection);
      const list = isListType(getNullableType(field.type));
      // A list's page size is its own argument, else the enclosing connection's, else the default.
      const count = list ? times * (size ?? pendingSize ?? limits.defaultListSize) : times;
      const composite = isCompositeType(returns);
      total.cost += (composite ? count : 0) + times * (limits.fieldCosts[`${parent.name}.${name}`] ?? 0);
      if (composite && selection.selectionSet) visit(selection.selectionSet, returns, count, list ? null : size);
    }
  };
  visit(operation.selectionSet, root, 1, null);
  return total;
}

/** The refusal of an operation over a limit: coded, with what it cost and what is allowed, before any subgraph is called. */
function tooComplex(message: string, details: Record<string, number>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', ...details } });
}

/**
 * Refuses operations that cost more than `maxCost` or hold more than `maxAliases` aliases, HTTP
 * and WebSocket alike, once their variables are known and before any subgraph is called: a
 * depth and token limit alone let one request fan out dozens of searches of a hundred products
 * with a hundred reviews each, or a hundred slates that each write their items to the log.
 */
export function queryCostLimits(limits: CostLimits): GatewayPlugin {
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: unknown }): GraphQLError | null => {
    const { cost, aliases } = operationCost(args.schema, args.document, args.operationName, args.variableValues as Record<string, unknown> | undefined, limits);
    if (aliases > limits.maxAliases)
      return tooComplex(`The operation holds ${aliases} aliases; at most ${limits.maxAliases} are allowed`, { aliases, maxAliases: limits.maxAliases });
    if (cost > limits.maxCost)
      return tooComplex(`The operation costs ${cost}; at most ${limits.maxCost} is allowed (ask for fewer items per list)`, { cost, maxCost: limits.maxCost });
    return null;
  };
  return {
    onExecute: ({ args, setResultAndStopExecution }) => {
      const refused = check(args);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
    onSubscribe: ({ args, setResultAndStopExecution }) => {
      const refused = check(args);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
  };
}
