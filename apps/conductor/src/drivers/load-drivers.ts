import { type DriverPackage, isDriverPackage } from '@ironic/driver-base';
import { errorMessage } from '../error-message.js';
import { DriverLoadError } from '../errors.js';
import { importPackage as importByName, isPackageNotFound } from './import-package.js';

/** A driver package found in an npm package. */
export interface LoadedDriverPackage {
  /** The npm package it came from. */
  readonly packageName: string;
  readonly driverPackage: DriverPackage;
}

/** How a package is imported; tests may map names to files. */
export type PackageImporter = (packageName: string) => Promise<Record<string, unknown>>;

const defaultImporter: PackageImporter = (packageName) => importByName(packageName);

/**
 * Imports each enabled package (from the conductor, else from the working directory's `node_modules`) and takes its driver packages: the default export made with
 * `defineDriver()`, or a `drivers` array of them. Rejects with `DriverLoadError` saying which package
 * and why: not installed, failing to import, exporting no driver, or reusing a driver name.
 */
export async function loadDriverPackages(
  packageNames: readonly string[],
  importer: PackageImporter = defaultImporter,
): Promise<LoadedDriverPackage[]> {
  const loaded: LoadedDriverPackage[] = [];
  const byName = new Map<string, string>();
  for (const packageName of new Set(packageNames)) {
    const module = await importDriverModule(packageName, importer);
    const found = driverPackagesOf(module);
    if (found.length === 0) {
      throw new DriverLoadError(
        packageName,
        'no-driver-export',
        `Package "${packageName}" exports no driver: expected a default export made with defineDriver(), or an export "drivers" listing them.`,
      );
    }
    for (const driverPackage of found) {
      const previous = byName.get(driverPackage.name);
      if (previous !== undefined) {
        throw new DriverLoadError(
          packageName,
          'duplicate-name',
          previous === packageName
            ? `Package "${packageName}" defines the driver "${driverPackage.name}" twice.`
            : `Two packages define a driver named "${driverPackage.name}": "${previous}" and "${packageName}". Enable only one of them.`,
        );
      }
      byName.set(driverPackage.name, packageName);
      loaded.push({ packageName, driverPackage });
    }
  }
  return loaded;
}

async function importDriverModule(
  packageName: string,
  importer: PackageImporter,
): Promise<Record<string, unknown>> {
  try {
    return await importer(packageName);
  } catch (error) {
    if (isPackageNotFound(error, packageName)) {
      throw new DriverLoadError(
        packageName,
        'missing-package',
        `Driver package "${packageName}" is not installed: install it next to the conductor or remove it from drivers.enabled.`,
        { cause: error },
      );
    }
    throw new DriverLoadError(
      packageName,
      'import-failed',
      `Driver package "${packageName}" failed to load: ${errorMessage(error)}`,
      { cause: error },
    );
  }
}

function driverPackagesOf(module: Record<string, unknown>): DriverPackage[] {
  const found: DriverPackage[] = [];
  const seen = new Set<unknown>();
  const take = (value: unknown) => {
    if (isDriverPackage(value) && !seen.has(value)) {
      seen.add(value);
      found.push(value);
    }
  };
  const candidates = [module.default, module.drivers];
  for (const candidate of candidates) {
    if (Array.isArray(candidate)) candidate.forEach(take);
    else take(candidate);
  }
  return found;
}
