"""Walks a Redfish service with sushy as Ironic's redfish and idrac-redfish interfaces do, then builds
a RAID-1 volume and follows its task monitor to the end (and a RAID-0 one the blocking way, as Ironic
does when the volume collection offers the Immediate apply time).

Usage: sushy_raid.py <base_url> <username> <password> [--walk-only]

Prints one JSON object per line on stdout ({"event": ...}); reads one word per line on stdin when it
prints a "waiting" event, so the test can move the simulator's clock.
"""
import json
import sys

import sushy

SYSTEM = '/redfish/v1/Systems/System.Embedded.1'
MANAGER = '/redfish/v1/Managers/iDRAC.Embedded.1'


def emit(event, **fields):
    print(json.dumps(dict(event=event, **fields), default=str), flush=True)


def value(field):
    """An enum's value (sushy 4 maps fields to enums), or the field itself."""
    return getattr(field, 'value', field)


def wait_for(word):
    emit('waiting', word=word)
    line = sys.stdin.readline().strip()
    if line != word:
        raise SystemExit('expected %r on stdin, got %r' % (word, line))


def session_timeout(conn):
    try:
        return conn.get_session_service().session_timeout
    except sushy.exceptions.MissingAttributeError:
        return None


def walk(conn):
    """What Ironic reads: power, inventory for inspection, storage for RAID, the manager."""
    system = conn.get_system(SYSTEM)
    processors = system.processors.summary
    storages = system.storage.get_members()
    storage = storages[0]
    drives = storage.drives
    controller = storage.storage_controllers[0]
    volumes = storage.volumes
    apply_times = volumes.operation_apply_time_support
    manager = conn.get_manager(MANAGER)
    chassis = [c.identity for c in conn.get_chassis_collection().get_members()]
    emit(
        'walked',
        auth='session' if conn._auth.get_session_key() else 'basic',
        power_state=value(system.power_state),
        reset_values=sorted(value(v) for v in system.get_allowed_reset_system_values()),
        cpus=processors.count,
        cpu_arch=value(processors.architecture),
        memory_gib=system.memory_summary.size_gib,
        simple_storage_bytes=system.simple_storage.disks_sizes_bytes,
        macs=sorted(system.ethernet_interfaces.summary),
        bios_boot_mode=system.bios.attributes.get('BootMode'),
        boot_mode=value(system.boot.mode),
        managers=[m.identity for m in system.managers],
        chassis=chassis,
        system_chassis=[c.identity for c in system.chassis],
        manager_type=value(manager.manager_type),
        storage=storage.identity,
        raid_types=sorted(value(t) for t in controller.raid_types),
        drives=[
            dict(id=d.identity, bytes=d.capacity_bytes, media=value(d.media_type), protocol=value(d.protocol))
            for d in drives
        ],
        volumes=[v.identity for v in volumes.get_members()],
        apply_times=sorted(value(t) for t in apply_times.mapped_supported_values),
        tasks=[t.identity for t in conn.get_task_service().tasks.get_members()],
        session_timeout=session_timeout(conn),
    )
    return storage, drives


def volumes_now(conn):
    """The volumes as the BMC has them now: a fresh read, past sushy's cached collections."""
    return conn.get_system(SYSTEM).storage.get_members()[0].volumes.get_members()


def raid1_with_task_monitor(conn, storage, drives):
    """Ironic's RedfishRAID without an apply time: create, keep the task monitor, poll it to the end."""
    payload = {
        'RAIDType': 'RAID1',
        'Links': {'Drives': [{'@odata.id': d.path} for d in drives[:2]]},
    }
    monitor = storage.volumes.create(payload)
    emit(
        'accepted',
        monitor=monitor.task_monitor_uri,
        processing=monitor.is_processing,
        task_state=value(monitor.task.task_state) if monitor.task else None,
    )
    emit('polled', processing=monitor.check_is_processing, task_state=value(monitor.task.task_state))
    wait_for('advanced')
    monitor.wait(60)
    task = monitor.get_task()
    volumes = volumes_now(conn)
    emit(
        'done',
        processing=monitor.is_processing,
        task_id=task.identity,
        task_state=value(task.task_state),
        task_status=value(task.task_status),
        percent=task.percent_complete,
        messages=[m.message for m in task.messages],
        volumes=[
            dict(id=v.identity, raid=value(v.raid_type), bytes=v.capacity_bytes,
                 drives=[link['@odata.id'].split('/')[-1] for link in v.json['Links']['Drives']])
            for v in volumes
        ],
    )


def raid0_blocking(conn, storage, drives):
    """Ironic's path when Immediate is offered: sushy blocks on the task monitor inside create()."""
    payload = {'RAIDType': 'RAID0', 'Links': {'Drives': [{'@odata.id': drives[2].path}]}}
    emit('blocking')
    result = storage.volumes.create(payload, apply_time=sushy.APPLY_TIME_IMMEDIATE, timeout=60)
    emit(
        'created',
        result=None if result is None else type(result).__name__,
        raid_types=sorted(value(v.raid_type) for v in volumes_now(conn)),
    )


def main():
    url, username, password = sys.argv[1:4]
    conn = sushy.Sushy(url, username=username, password=password)
    storage, drives = walk(conn)
    if '--walk-only' not in sys.argv[4:]:
        raid1_with_task_monitor(conn, storage, drives)
        raid0_blocking(conn, storage, drives)
    conn._auth.close()
    emit('logged-out')


if __name__ == '__main__':
    main()
