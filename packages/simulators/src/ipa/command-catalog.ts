import { AgentFault } from './agent-fault.js';

/** What a command may read or change on the simulated machine. */
export interface CommandMachine {
  readonly nodeUuid: string;
  /** The image on the install disk, if `prepare_image` wrote one. */
  readonly writtenImageId: string | null;
  writeImage(imageId: string): void;
  /** The ramdisk's log so far, for `log.collect_system_logs`. */
  systemLogs(): string;
}

/** A command the simulated agent knows, modelled on IPA's `@sync_command` / `@async_command`. */
export interface CommandSpec {
  /** `sync` answers with the final result; `async` answers RUNNING and finishes in the background. */
  readonly mode: 'sync' | 'async';
  /** Takes the agent's `commandDurationMs` (writing an image); other async commands end at once. */
  readonly slow?: boolean;
  /** The machine goes down under the command. */
  readonly shutdown?: 'poweroff' | 'reboot';
  /** Throws a 400 "Invalid command parameters" fault, as IPA's validators do. */
  validate?(params: Record<string, unknown>): void;
  /** A string result becomes `{"result": …}` (async ones prefixed with the command name). */
  run(params: Record<string, unknown>, machine: CommandMachine): string | Record<string, unknown> | null;
}

/** The install device every simulated machine has. */
export const INSTALL_DEVICE = '/dev/sda';

/** Commands by extension, then name (IPA's `<extension>.<command>`). */
export const COMMAND_CATALOG: Readonly<Record<string, Readonly<Record<string, CommandSpec>>>> = {
  standby: {
    prepare_image: {
      mode: 'async',
      slow: true,
      validate: validateImageInfo,
      run(params, machine) {
        const imageInfo = params.image_info as { id: string };
        machine.writeImage(imageInfo.id);
        return `image (${imageInfo.id}) written to device ${INSTALL_DEVICE} `;
      },
    },
    sync: { mode: 'sync', run: () => null },
    power_off: { mode: 'async', shutdown: 'poweroff', run: () => null },
    run_image: { mode: 'async', shutdown: 'reboot', run: () => null },
    get_partition_uuids: {
      mode: 'sync',
      // A whole-disk image: IPA reports the disk identifier as the root UUID once one is written.
      run: (_params, machine) =>
        machine.writtenImageId === null ? {} : { 'root uuid': diskIdentifier(machine.nodeUuid) },
    },
  },
  log: {
    collect_system_logs: {
      mode: 'sync',
      run: (_params, machine) => ({ system_logs: machine.systemLogs() }),
    },
  },
};

/** Every full command name the simulator knows, e.g. `standby.prepare_image`. */
export const KNOWN_COMMANDS: readonly string[] = Object.entries(COMMAND_CATALOG).flatMap(
  ([extension, commands]) => Object.keys(commands).map((name) => `${extension}.${name}`),
);

/**
 * IPA's `_validate_image_info`: `id` and a non-empty `urls` list are required. Checksum fields are
 * type-checked when present; unlike IPA, a missing checksum is accepted (nothing is downloaded).
 */
function validateImageInfo(params: Record<string, unknown>): void {
  const info = params.image_info;
  const imageInfo = typeof info === 'object' && info !== null ? (info as Record<string, unknown>) : {};
  for (const field of ['id', 'urls']) {
    if (!(field in imageInfo)) throw invalidParams(`Image is missing '${field}' field.`);
  }
  if (typeof imageInfo.id !== 'string' || imageInfo.id === '') {
    throw invalidParams("Image 'id' must be a non-empty string.");
  }
  if (!Array.isArray(imageInfo.urls) || imageInfo.urls.length === 0) {
    throw invalidParams("Image 'urls' must be a list with at least one element.");
  }
  for (const field of ['checksum', 'os_hash_algo', 'os_hash_value']) {
    const value = imageInfo[field];
    if (value !== undefined && value !== null && (typeof value !== 'string' || value === '')) {
      throw invalidParams(`Image '${field}' must be a non-empty string.`);
    }
  }
}

function invalidParams(details: string): AgentFault {
  return AgentFault.rest(400, 'Invalid command parameters', details);
}

/** A stable MBR disk identifier (`0x` + 8 hex digits) derived from the node. */
function diskIdentifier(nodeUuid: string): string {
  return `0x${nodeUuid
    .replace(/[^0-9a-f]/gi, '')
    .slice(0, 8)
    .toLowerCase()
    .padEnd(8, '0')}`;
}
