import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * Counts the statements a Kysely instance sends to its database (`db.withPlugin(counter)`), by kind:
 * what a piece of code costs in round trips, read off the real store rather than a mock of it.
 */
export class QueryCounter implements KyselyPlugin {
  #kinds: string[] = [];

  /** How many statements were sent since the last reset. */
  get count(): number {
    return this.#kinds.length;
  }

  /** The kinds of the statements sent (`SelectQueryNode`, `UpdateQueryNode`, …), in order. */
  get kinds(): readonly string[] {
    return this.#kinds;
  }

  /** How many statements of a kind were sent. */
  countOf(kind: string): number {
    return this.#kinds.filter((k) => k === kind).length;
  }

  reset(): void {
    this.#kinds = [];
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.#kinds.push(args.node.kind);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
