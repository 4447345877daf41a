import { describe, expect, it } from 'vitest';

// Guards the toolchain: TC39 standard decorators must be lowered for Node 20 by the test transform.
describe('TC39 decorators under the test transform', () => {
  it('calls a method decorator with a standard context', () => {
    const seen: string[] = [];
    function mark(_value: unknown, context: ClassMethodDecoratorContext) {
      seen.push(`${context.kind}:${String(context.name)}`);
    }
    class Example {
      @mark
      poll() {}
    }
    expect(new Example()).toBeInstanceOf(Example);
    expect(seen).toEqual(['method:poll']);
  });
});
