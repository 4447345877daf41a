import { InvalidParameterValue, type JsonObject, type Node } from '@ironic/driver-base';
import { newNodeRecord } from '@ironic/driver-base/testing';
import { describe, expect, it } from 'vitest';
import { imageInfoFor } from '../src/index.js';

function node(instance_info: JsonObject): Node {
  return newNodeRecord(
    { driver: 'ipa', uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123', instance_info },
    '2026-01-01T00:00:00.000Z',
  );
}

describe('image_info for prepare_image', () => {
  it('takes an http image with its os_hash', () => {
    expect(
      imageInfoFor(
        node({
          image_source: 'https://images.example.com/os/ubuntu.img',
          image_os_hash_algo: 'sha512',
          image_os_hash_value: 'f'.repeat(128),
          image_disk_format: 'raw',
        }),
      ),
    ).toEqual({
      id: 'ubuntu.img',
      urls: ['https://images.example.com/os/ubuntu.img'],
      disk_format: 'raw',
      os_hash_algo: 'sha512',
      os_hash_value: 'f'.repeat(128),
    });
  });

  it('takes an image id with its URL and an md5 checksum', () => {
    expect(
      imageInfoFor(
        node({
          image_source: 'c7a1c1b2-5d2b-4c39-a5d4-0bd4a8c0e1f2',
          image_url: 'http://10.0.0.1/ubuntu.qcow2',
          image_checksum: 'd41d8cd98f00b204e9800998ecf8427e',
        }),
      ),
    ).toEqual({
      id: 'c7a1c1b2-5d2b-4c39-a5d4-0bd4a8c0e1f2',
      urls: ['http://10.0.0.1/ubuntu.qcow2'],
      checksum: 'd41d8cd98f00b204e9800998ecf8427e',
    });
  });

  it.each([
    [{}, /instance_info\.image_source is required/],
    [{ image_source: 42 }, /instance_info\.image_source must be a non-empty string/],
    [{ image_source: 'some-image-id', image_checksum: 'x' }, /instance_info\.image_url is required/],
    [{ image_source: 'http://10.0.0.1/a.img' }, /instance_info\.image_checksum .* is required/],
    [{ image_source: 'http://10.0.0.1/a.img', image_os_hash_algo: 'sha256' }, /given together/],
    [
      { image_source: 'http://10.0.0.1/a.img', image_os_hash_algo: 'crc32', image_os_hash_value: 'ab' },
      /image_os_hash_algo must be one of/,
    ],
  ])('refuses %j, naming the field', (info, message) => {
    expect(() => imageInfoFor(node(info as JsonObject))).toThrow(InvalidParameterValue);
    expect(() => imageInfoFor(node(info as JsonObject))).toThrow(message);
  });
});
