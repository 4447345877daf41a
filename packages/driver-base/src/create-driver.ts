import type { Logger } from 'pino';
import type { Driver, DriverPackage, DriverServices } from './driver.js';
import { checkDriverImplementations } from './driver-interfaces.js';
import { InvalidDriverOptions, type OptionIssue } from './errors.js';

/** Validates raw options against a driver package's schema; rejects with `InvalidDriverOptions`. */
export async function validateDriverOptions<Options>(
  pkg: DriverPackage<Options>,
  raw: unknown,
): Promise<Options> {
  const result = await pkg.optionsSchema['~standard'].validate(raw ?? {});
  if (!result.issues) return result.value;
  const issues: OptionIssue[] = result.issues.map((issue) => ({
    path: (issue.path ?? [])
      .map((segment) => (typeof segment === 'object' ? String(segment.key) : String(segment)))
      .join('.'),
    message: issue.message,
  }));
  throw new InvalidDriverOptions(pkg.name, issues);
}

/**
 * Validates a package's options and creates its driver, checking the name, the power interface and the
 * implementations a node may choose.
 */
export async function createDriver<Options>(
  pkg: DriverPackage<Options>,
  rawOptions: unknown,
  services: Omit<DriverServices<Options>, 'options'>,
): Promise<Driver> {
  const options = await validateDriverOptions(pkg, rawOptions);
  const driver = await pkg.create(options, { ...services, options });
  if (driver.name !== pkg.name) {
    throw new TypeError(
      `Driver package "${pkg.name}" created a driver named "${driver.name}"; the names must match`,
    );
  }
  if (!driver.interfaces?.power)
    throw new TypeError(`Driver "${pkg.name}" has no power interface; every driver needs one`);
  checkDriverImplementations(driver);
  return driver;
}

/**
 * Calls every driver's `close()` (all of them, at once), logging a failure rather than throwing it: a
 * driver that cannot log out of its BMCs must not keep the others, or the conductor, from stopping.
 */
export async function closeDrivers(drivers: Iterable<Driver>, logger: Logger): Promise<void> {
  await Promise.all(
    [...drivers].map(async (driver) => {
      try {
        await driver.close?.();
      } catch (error) {
        logger.warn({ err: error, driver: driver.name }, 'closing the driver failed');
      }
    }),
  );
}
