import {
  InvalidParameterValue,
  type JsonObject,
  type JsonValue,
  type Task,
  type VendorInterface,
  type VendorMethod,
} from '@ironic/driver-base';
import type { Delay } from '../delay.js';

/** Ironic's `fake` vendor interface (`FakeVendorB`): three methods that compare `bar` with a word. */
export class FakeVendor implements VendorInterface {
  readonly properties = {
    B1: 'B1 description. Required.',
    B2: 'B2 description. Required.',
  };
  readonly methods: Readonly<Record<string, VendorMethod<Task>>>;

  constructor(readonly delay: Delay) {
    const compare =
      (word: string) =>
      async (_task: Task, _method: string, args: JsonObject): Promise<JsonValue> => {
        await this.delay();
        return args.bar === word;
      };
    this.methods = {
      second_method: {
        httpMethods: ['POST'],
        description: 'Test if the value of bar is kazoo',
        run: compare('kazoo'),
      },
      third_method_sync: {
        httpMethods: ['POST'],
        async: false,
        description: 'Test if the value of bar is meow',
        run: compare('meow'),
      },
      fourth_method_shared_lock: {
        httpMethods: ['POST'],
        requireExclusiveLock: false,
        description: 'Test if the value of bar is woof',
        run: compare('woof'),
      },
    };
  }

  validate(): void {}

  validateMethod(_task: Task, method: string, args: JsonObject): void {
    if (method in this.methods && !args.bar) {
      throw new InvalidParameterValue(`Parameter 'bar' not passed to method '${method}'.`);
    }
  }
}
