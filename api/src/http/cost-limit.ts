// Refuses an operation whose price (schema/query-cost.ts) is over its caller's budget, before any
// resolver runs, over HTTP and on sockets alike (both go through Yoga's envelop). Nested connections
// multiply: conversations(first: 100) → messages(first: 100) → conversation → messages(first: 100)
// would ask for a million rows, and is answered COST_LIMIT_EXCEEDED in the time it takes to count.
import { createComplexityRule } from '@pothos/plugin-complexity';
import { GraphQLError, validate, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';

export interface CostBudgets {
  /** Signed-in people (the dashboard's operations must all fit) and operators. */
  session: number;
  /** Partner keys, and callers not signed in. */
  key: number;
}

export function costBudgetOf(context: Pick<Context, 'viewer'>, budgets: CostBudgets): number {
  const kind = context.viewer?.kind;
  return kind === 'user' || kind === 'operator' ? budgets.session : budgets.key;
}

export function costLimitExceeded(cost: number, budget: number): GraphQLError {
  return new GraphQLError(`This operation costs ${cost}, over the budget of ${budget}: ask for smaller pages or fewer nested lists.`, {
    extensions: { code: 'COST_LIMIT_EXCEEDED', cost, budget },
  });
}

/** The errors refusing this operation, or none: the price of the operation selected, against `budget`. */
export function priceOperation(args: {
  schema: GraphQLSchema;
  document: DocumentNode;
  contextValue?: unknown;
  variableValues?: { readonly [variable: string]: unknown } | null;
  operationName?: string | null;
  budget: number;
}): readonly GraphQLError[] {
  const rule = createComplexityRule({
    context: (args.contextValue ?? {}) as object,
    variableValues: { ...args.variableValues },
    operationName: args.operationName ?? undefined,
    validate: (state, report) => {
      if (state.complexity > args.budget) report(costLimitExceeded(state.complexity, args.budget));
    },
  });
  // Variables that do not fit, or an unknown operation name, are execution's to report (with its status
  // and words); an operation that cannot be priced runs into that refusal anyway.
  return validate(args.schema, args.document, [rule]).filter((error) => error.extensions.code === 'COST_LIMIT_EXCEEDED');
}

export function useCostLimit(budgets: CostBudgets): Plugin<Context> {
  const refusal = (args: ExecutionArgs) => {
    const errors = priceOperation({ ...args, budget: costBudgetOf(args.contextValue as Context, budgets) });
    return errors.length > 0 ? { errors } : null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = refusal(args);
      if (refused) setResultAndStopExecution(refused);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = refusal(args);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}
