import {
  CONTROLLER_ID,
  driveUri,
  ENCLOSURE_URI,
  STORAGE_COLLECTION_URI,
  STORAGE_URI,
  VOLUMES_URI,
  volumeUri,
} from '../paths.js';
import { SUPPORTED_RAID_TYPES, volumeTypeOf } from '../raid-levels.js';
import type { DriveInfo, VolumeInfo } from '../types.js';
import { SUPPORTED_APPLY_TIMES } from '../volume-request.js';
import { collection, type Json, link, STATUS_OK } from './common.js';

/** `GET .../Storage`: the one integrated controller. */
export function storageCollection(): Json {
  return collection(STORAGE_COLLECTION_URI, 'StorageCollection', 'Storage Collection', [STORAGE_URI]);
}

/** `GET .../Storage/RAID.Integrated.1-1`: the PERC with its drives, controller and volumes link. */
export function storage(drives: readonly DriveInfo[]): Json {
  return {
    '@odata.context': '/redfish/v1/$metadata#Storage.Storage',
    '@odata.id': STORAGE_URI,
    '@odata.type': '#Storage.v1_8_0.Storage',
    Description: 'PERC H730P Mini',
    Drives: drives.map((d) => link(driveUri(d.id))),
    'Drives@odata.count': drives.length,
    Id: CONTROLLER_ID,
    Links: { Enclosures: [link(ENCLOSURE_URI)], 'Enclosures@odata.count': 1 },
    Name: 'PERC H730P Mini',
    Status: STATUS_OK,
    StorageControllers: [
      {
        '@odata.id': `${STORAGE_URI}#/StorageControllers/0`,
        FirmwareVersion: '25.5.9.0001',
        Identifiers: [{ DurableName: '51866DA0B1F8C500', DurableNameFormat: 'NAA' }],
        Manufacturer: 'DELL',
        MemberId: CONTROLLER_ID,
        Model: 'PERC H730P Mini',
        Name: 'PERC H730P Mini',
        SpeedGbps: 12,
        Status: STATUS_OK,
        SupportedControllerProtocols: ['PCIe'],
        SupportedDeviceProtocols: ['SAS', 'SATA'],
        SupportedRAIDTypes: [...SUPPORTED_RAID_TYPES],
      },
    ],
    'StorageControllers@odata.count': 1,
    Volumes: link(VOLUMES_URI),
  };
}

/** `GET .../Drives/{id}`: a physical disk, linked to the volume that uses it if any. */
export function drive(info: DriveInfo, volumes: readonly VolumeInfo[]): Json {
  const usedBy = volumes.filter((v) => v.driveIds.includes(info.id)).map((v) => link(volumeUri(v.id)));
  return {
    '@odata.context': '/redfish/v1/$metadata#Drive.Drive',
    '@odata.id': driveUri(info.id),
    '@odata.type': '#Drive.v1_6_0.Drive',
    BlockSizeBytes: 512,
    CapableSpeedGbs: 12,
    CapacityBytes: info.capacityBytes,
    Description: `Disk in Backplane 1 of ${CONTROLLER_ID}`,
    EncryptionAbility: 'None',
    EncryptionStatus: 'Unencrypted',
    FailurePredicted: false,
    HotspareType: 'None',
    Id: info.id,
    Identifiers: [
      { DurableName: info.id.replace(/\W/g, '').slice(-16).toUpperCase(), DurableNameFormat: 'NAA' },
    ],
    Links: {
      Chassis: link(ENCLOSURE_URI),
      Volumes: usedBy,
      'Volumes@odata.count': usedBy.length,
    },
    Manufacturer: info.mediaType === 'SSD' ? 'INTEL' : 'SEAGATE',
    MediaType: info.mediaType,
    Model: info.mediaType === 'SSD' ? 'SSDSC2KG960G8R' : 'ST600MM0009',
    Name: info.name,
    NegotiatedSpeedGbs: 12,
    Protocol: info.protocol,
    Revision: 'LS0B',
    RotationSpeedRPM: info.mediaType === 'SSD' ? 0 : 10000,
    SerialNumber: info.id.replace(/\W/g, '').slice(0, 8).toUpperCase(),
    Status: { Health: 'OK', State: 'Enabled' },
  };
}

/** `GET .../Volumes`: the virtual disks that exist now. */
export function volumeCollection(volumes: readonly VolumeInfo[]): Json {
  return {
    ...collection(
      VOLUMES_URI,
      'VolumeCollection',
      'Volume Collection',
      volumes.map((v) => volumeUri(v.id)),
    ),
    Description: 'Collection Of Volume',
    // Only Immediate: the simulator has no jobs that wait for the next reboot.
    '@Redfish.OperationApplyTimeSupport': {
      '@odata.type': '#Settings.v1_2_0.OperationApplyTimeSupport',
      SupportedValues: [...SUPPORTED_APPLY_TIMES],
    },
  };
}

/** `GET .../Volumes/{id}`: one virtual disk with its RAID level and member drives. */
export function volume(info: VolumeInfo): Json {
  return {
    '@odata.context': '/redfish/v1/$metadata#Volume.Volume',
    '@odata.id': volumeUri(info.id),
    '@odata.type': '#Volume.v1_5_0.Volume',
    Actions: {
      '#Volume.Initialize': {
        'InitializeType@Redfish.AllowableValues': ['Fast', 'Slow'],
        target: `${volumeUri(info.id)}/Actions/Volume.Initialize`,
      },
    },
    BlockSizeBytes: 512,
    CapacityBytes: info.capacityBytes,
    Description: info.name,
    Encrypted: false,
    EncryptionTypes: ['NativeDriveEncryption'],
    Id: info.id,
    Identifiers: [],
    Links: {
      Drives: info.driveIds.map((id) => link(driveUri(id))),
      'Drives@odata.count': info.driveIds.length,
    },
    Name: info.name,
    OptimumIOSizeBytes: 65536,
    RAIDType: info.raidType,
    Status: { Health: 'OK', State: 'Enabled' },
    VolumeType: volumeTypeOf(info.raidType),
  };
}
