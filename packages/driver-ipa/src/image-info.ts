import { InvalidParameterValue, type JsonObject, type Node } from '@ironic/driver-base';

/** What `standby.prepare_image` is told about the image (IPA's `image_info`). */
export interface ImageInfo {
  id: string;
  urls: string[];
  disk_format?: string;
  checksum?: string;
  os_hash_algo?: string;
  os_hash_value?: string;
}

const HASH_ALGORITHMS = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

function optionalString(info: JsonObject, key: string): string | undefined {
  const value = info[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new InvalidParameterValue(
      `instance_info.${key} must be a non-empty string, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

/**
 * Builds `image_info` from the node's `instance_info`, as Ironic's direct deploy does for images given
 * by URL: `image_source` (required) is an http(s) URL, or an image id with the URL in `image_url`; a
 * checksum is required (`image_checksum`, or `image_os_hash_algo` + `image_os_hash_value`), since the
 * agent verifies what it downloads. Throws `InvalidParameterValue` naming the bad field.
 */
export function imageInfoFor(node: Readonly<Node>): ImageInfo {
  const info = node.instance_info;
  const source = optionalString(info, 'image_source');
  if (source === undefined) {
    throw new InvalidParameterValue(`instance_info.image_source is required to deploy node ${node.uuid}`);
  }
  const url = isHttpUrl(source) ? source : optionalString(info, 'image_url');
  if (url === undefined) {
    throw new InvalidParameterValue(
      `instance_info.image_url is required when instance_info.image_source (${source}) is not an http(s) URL`,
    );
  }
  if (!isHttpUrl(url)) {
    throw new InvalidParameterValue(
      `instance_info.image_url must be an http(s) URL, got ${JSON.stringify(url)}`,
    );
  }
  const id = isHttpUrl(source)
    ? (new URL(source).pathname.split('/').filter(Boolean).at(-1) ?? source)
    : source;
  const imageInfo: ImageInfo = { id, urls: [url] };
  const diskFormat = optionalString(info, 'image_disk_format');
  if (diskFormat !== undefined) imageInfo.disk_format = diskFormat;
  const algorithm = optionalString(info, 'image_os_hash_algo');
  const hash = optionalString(info, 'image_os_hash_value');
  const checksum = optionalString(info, 'image_checksum');
  if ((algorithm === undefined) !== (hash === undefined)) {
    throw new InvalidParameterValue(
      'instance_info.image_os_hash_algo and instance_info.image_os_hash_value must be given together',
    );
  }
  if (algorithm !== undefined && !HASH_ALGORITHMS.has(algorithm)) {
    throw new InvalidParameterValue(
      `instance_info.image_os_hash_algo must be one of ${[...HASH_ALGORITHMS].join(', ')}, got "${algorithm}"`,
    );
  }
  if (algorithm === undefined && checksum === undefined) {
    throw new InvalidParameterValue(
      `instance_info.image_checksum (or image_os_hash_algo and image_os_hash_value) is required to deploy node ${node.uuid}`,
    );
  }
  if (algorithm !== undefined && hash !== undefined) {
    imageInfo.os_hash_algo = algorithm;
    imageInfo.os_hash_value = hash;
  }
  if (checksum !== undefined) imageInfo.checksum = checksum;
  return imageInfo;
}
