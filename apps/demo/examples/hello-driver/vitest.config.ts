import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Lowering the decorators renames classes unless names are kept: a task's name is ClassName.methodName.
  esbuild: { target: 'node20', keepNames: true },
});
