import { ApiError } from './ironic-errors.js';
import { pythonRepr } from './python-repr.js';

const BUILD_CONFIGDRIVE = 56;
const CONFIGDRIVE_VENDOR_DATA = 59;
const REBUILD_CONFIG_DRIVE = 35;
// Base64 text, with the whitespace such values are often wrapped in.
const BASE64 = /^[A-Za-z0-9+/=\n\r\t ]*$/;
const BUILD_KEYS = ['meta_data', 'network_data', 'user_data', 'vendor_data'];

function invalid(message: string): ApiError {
  return new ApiError('invalid-request', message);
}

/**
 * Ironic's `check_allow_configdrive`: a config drive only with `active` (and `rebuild` from 1.35), as a
 * URL, base64 text, or (from 1.56) an object to build one from.
 */
export function checkConfigDrive(target: string, configdrive: unknown, minor: number): void {
  if (configdrive === undefined || configdrive === null || configdrive === '') return;
  const allowed = minor >= REBUILD_CONFIG_DRIVE ? ['active', 'rebuild'] : ['active'];
  if (!allowed.includes(target)) {
    throw invalid(
      `Adding a config drive is only supported when setting provision state to ${allowed.join(', ')}`,
    );
  }
  if (typeof configdrive === 'object' && !Array.isArray(configdrive)) {
    const fields = configdrive as Record<string, unknown>;
    const extra = Object.keys(fields).filter((key) => !BUILD_KEYS.includes(key));
    if (extra.length > 0) {
      throw invalid(
        `Invalid configdrive format: Additional properties are not allowed ('${extra.join("', '")}' was unexpected)`,
      );
    }
    if (minor < BUILD_CONFIGDRIVE) {
      throw invalid(
        `Providing a JSON object for configdrive is only supported starting with API version 1.${BUILD_CONFIGDRIVE}`,
      );
    }
    if ('vendor_data' in fields && minor < CONFIGDRIVE_VENDOR_DATA) {
      throw invalid(
        `Providing vendor_data in configdrive is only supported starting with API version 1.${CONFIGDRIVE_VENDOR_DATA}`,
      );
    }
    return;
  }
  if (typeof configdrive !== 'string') {
    throw invalid(
      `Invalid configdrive format: ${pythonRepr(configdrive)} is not valid under any of the given schemas`,
    );
  }
  if (configdrive.includes('://')) return;
  if (!BASE64.test(configdrive)) {
    throw invalid('Invalid configdrive format: it is neither a JSON, nor a URL, nor a base64 string');
  }
}
