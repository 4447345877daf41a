"""Everyday operations of python-ironicclient against an Ironic API, summarised as comparable JSON.

Usage: ironicclient_ops.py ENDPOINT PREFIX

Runs the same operations against any endpoint (real Ironic or this conductor) and prints one JSON
document: a list of {"op", "ok", "result"} or {"op", "ok": false, "error": {"status", "class",
"message"}}. Results leave out what differs by nature between two servers (UUIDs, times, host names).
"""
import json
import sys
import time

from ironicclient import client
from ironicclient import exc as ironic_exc
from ironicclient.common.apiclient import exceptions as api_exc

ENDPOINT, PREFIX = sys.argv[1], sys.argv[2]
c = client.get_client(1, endpoint=ENDPOINT, os_ironic_api_version='latest', auth_type='none')
results = []


def error_of(e):
    status = getattr(e, 'http_status', None) or getattr(e, 'code', None)
    return {'status': status, 'class': type(e).__name__, 'message': str(getattr(e, 'message', '') or e)}


def run(name, fn):
    try:
        results.append({'op': name, 'ok': True, 'result': fn()})
    except (api_exc.HttpError, ironic_exc.ClientException, api_exc.ClientException) as e:
        results.append({'op': name, 'ok': False, 'error': error_of(e)})
    except Exception as e:  # the client itself may fail on an answer; that is a result too
        results.append({'op': name, 'ok': False, 'error': {'status': None, 'class': type(e).__name__,
                                                            'message': str(e)}})


def node_state(ident):
    n = c.node.get(ident)
    return {k: getattr(n, k) for k in ('provision_state', 'target_provision_state', 'power_state',
                                       'target_power_state', 'maintenance', 'maintenance_reason',
                                       'last_error', 'console_enabled')}


def settled_power(ident):
    for _ in range(300):
        n = c.node.get(ident)
        if n.target_power_state is None:
            break
        time.sleep(0.1)
    return node_state(ident)


def wait(ident, state):
    c.node.wait_for_provision_state(ident, state, timeout=60, poll_interval=0.2)
    return node_state(ident)


N = PREFIX + '-node'
M = PREFIX + '-node2'
MAC = '52:54:00:' + PREFIX[-2:] + ':00:01'

run('driver list', lambda: sorted(d.name for d in c.driver.list()))
run('driver list detail', lambda: sorted(
    (d.name, d.default_power_interface, d.default_storage_interface) for d in c.driver.list(detail=True)))
# Ironic lists enabled interfaces from a set: their order means nothing.
run('driver show', lambda: {k: sorted(v) if k.startswith('enabled_') else v
                            for k, v in c.driver.get('fake-hardware').to_dict().items()
                            if k.startswith('default_') or k.startswith('enabled_') or k == 'type'})
run('driver properties', lambda: c.driver.properties('fake-hardware'))
run('driver vendor methods', lambda: c.driver.get_vendor_passthru_methods('fake-hardware'))
run('node create', lambda: sorted(c.node.create(
    driver='fake-hardware', name=N, driver_info={'ipmi_password': 'secret', 'user': 'u'},
    properties={'cpus': 4}, resource_class='bm-small', extra={'a': 1}).to_dict()))
run('node create second', lambda: c.node.create(driver='fake-hardware', name=M).provision_state)
run('node create duplicate name', lambda: c.node.create(driver='fake-hardware', name=N).uuid)
run('node create unknown driver', lambda: c.node.create(driver='no-such-driver').uuid)
run('node create bad interface', lambda: c.node.create(driver='fake-hardware', deploy_interface='direct').uuid)
run('node show', lambda: (lambda n: {'name': n.name, 'driver_info': n.driver_info,
                                     'resource_class': n.resource_class, 'raid_interface': n.raid_interface,
                                     'traits': n.traits})(c.node.get(N)))
run('node show fields', lambda: sorted(c.node.get(N, fields=['uuid', 'name', 'owner']).to_dict()))
run('node show unknown', lambda: c.node.get(PREFIX + '-ghost').uuid)
run('node list', lambda: sorted(n.name for n in c.node.list() if n.name and n.name.startswith(PREFIX)))
run('node list limit', lambda: len(c.node.list(limit=1)))
run('node list detail', lambda: sorted(n.name for n in c.node.list(detail=True) if n.name and n.name.startswith(PREFIX)))
run('node list filtered', lambda: sorted(n.name for n in c.node.list(
    provision_state='enroll', maintenance=False, driver='fake-hardware', resource_class='bm-small')
    if n.name and n.name.startswith(PREFIX)))
run('node list fields', lambda: sorted(c.node.list(fields=['uuid', 'name', 'resource_class'], limit=1)[0].to_dict()))
run('node update', lambda: (lambda n: [n.properties, n.extra, n.description])(c.node.update(N, [
    {'op': 'add', 'path': '/properties/memory_mb', 'value': 1024},
    {'op': 'remove', 'path': '/extra/a'},
    {'op': 'add', 'path': '/description', 'value': 'a test node'}])))
run('node update interface', lambda: c.node.update(N, [
    {'op': 'replace', 'path': '/rescue_interface', 'value': 'no-rescue'}]).rescue_interface)
run('node update reset interface', lambda: c.node.update(N, [
    {'op': 'remove', 'path': '/rescue_interface'}]).rescue_interface)
run('node update internal field', lambda: c.node.update(N, [
    {'op': 'replace', 'path': '/provision_state', 'value': 'active'}]).name)
run('node update remove missing', lambda: c.node.update(N, [
    {'op': 'remove', 'path': '/extra/missing'}]).name)
run('node maintenance on', lambda: (c.node.set_maintenance(N, True, maint_reason='testing'), node_state(N))[1])
run('node maintenance off', lambda: (c.node.set_maintenance(N, False), node_state(N))[1])
run('node validate', lambda: {k: v for k, v in c.node.validate(N).to_dict().items()})
run('node power on', lambda: (c.node.set_power_state(N, 'on'), settled_power(N))[1])
run('node power reboot', lambda: (c.node.set_power_state(N, 'reboot'), settled_power(N))[1])
run('node power soft off', lambda: (c.node.set_power_state(N, 'off', soft=True, timeout=10), settled_power(N))[1])
run('node states', lambda: sorted(c.node.states(N).to_dict()))
run('node boot device supported', lambda: c.node.get_supported_boot_devices(N))
run('node boot device set', lambda: c.node.set_boot_device(N, 'pxe', persistent=True))
run('node boot device set bad', lambda: c.node.set_boot_device(N, 'disk'))
run('node boot device get', lambda: c.node.get_boot_device(N))
run('node console on', lambda: (c.node.set_console_mode(N, True), c.node.get_console(N))[1])
run('node console off', lambda: (c.node.set_console_mode(N, False), c.node.get_console(N))[1])
run('node traits set', lambda: (c.node.set_traits(N, ['CUSTOM_B', 'CUSTOM_A']), c.node.get_traits(N))[1])
run('node traits add', lambda: (c.node.add_trait(N, 'HW_CPU_X86_AVX2'), c.node.get_traits(N))[1])
run('node traits add invalid', lambda: c.node.add_trait(N, 'lower_case'))
run('node traits remove', lambda: (c.node.remove_trait(N, 'CUSTOM_A'), c.node.get_traits(N))[1])
run('node traits remove missing', lambda: c.node.remove_trait(N, 'CUSTOM_MISSING'))
run('node traits remove all', lambda: (c.node.remove_all_traits(N), c.node.get_traits(N))[1])
run('node vendor methods', lambda: c.node.get_vendor_passthru_methods(N))
run('node vendor call sync', lambda: c.node.vendor_passthru(N, 'third_method_sync', args={'bar': 'meow'}, http_method='POST'))
run('node vendor call missing arg', lambda: c.node.vendor_passthru(N, 'second_method', args={}, http_method='POST'))
run('port create', lambda: sorted(c.port.create(address=MAC, node_uuid=c.node.get(N).uuid, extra={'slot': 1}).to_dict()))
run('port create duplicate', lambda: c.port.create(address=MAC, node_uuid=c.node.get(M).uuid).uuid)
run('port create bad mac', lambda: c.port.create(address='zz', node_uuid=c.node.get(M).uuid).uuid)
run('port list by address', lambda: [p.address for p in c.port.list(address=MAC)])
run('port list by node', lambda: [p.address for p in c.port.list(node=N)])
run('port list detail', lambda: sorted(c.port.list(address=MAC, detail=True)[0].to_dict()))
run('port show', lambda: (lambda p: [p.address, p.pxe_enabled, p.extra])(c.port.get(c.port.list(address=MAC)[0].uuid)))
run('port update', lambda: c.port.update(c.port.list(address=MAC)[0].uuid, [
    {'op': 'add', 'path': '/extra/slot', 'value': 2}, {'op': 'replace', 'path': '/pxe_enabled', 'value': False}]).extra)
run('node raid target', lambda: (c.node.set_target_raid_config(
    N, {'logical_disks': [{'size_gb': 10, 'raid_level': '1', 'is_root_volume': True}]}),
    c.node.get(N).target_raid_config)[1])
run('node provide from enroll', lambda: c.node.set_provision_state(N, 'provide'))
run('node manage', lambda: (c.node.set_provision_state(N, 'manage'), wait(N, 'manageable'))[1])
run('node inspect', lambda: (c.node.set_provision_state(N, 'inspect'), wait(N, 'manageable'))[1])
run('node clean', lambda: (c.node.set_provision_state(N, 'clean', cleansteps=[
    {'interface': 'bios', 'step': 'factory_reset'}]), wait(N, 'manageable'))[1])
run('node clean bad interface', lambda: c.node.set_provision_state(N, 'clean', cleansteps=[
    {'interface': 'boot', 'step': 'x'}]))
run('node provide', lambda: (c.node.set_provision_state(N, 'provide'), wait(N, 'available'))[1])
run('node deploy', lambda: (c.node.set_provision_state(N, 'active', configdrive={'meta_data': {'hostname': 'h'}}),
                            wait(N, 'active'))[1])
run('node delete active', lambda: c.node.delete(N))
run('node rescue', lambda: (c.node.set_provision_state(N, 'rescue', rescue_password='pw'), wait(N, 'rescue'))[1])
run('node unrescue', lambda: (c.node.set_provision_state(N, 'unrescue'), wait(N, 'active'))[1])
run('node rebuild', lambda: (c.node.set_provision_state(N, 'rebuild'), wait(N, 'active'))[1])
run('node undeploy', lambda: (c.node.set_provision_state(N, 'deleted'), wait(N, 'available'))[1])
run('node ports', lambda: [p.address for p in c.node.list_ports(N)])
run('port delete', lambda: (c.port.delete(c.port.list(address=MAC)[0].uuid), [p.address for p in c.port.list(address=MAC)])[1])
run('node delete', lambda: (c.node.delete(N), [n.name for n in c.node.list() if n.name == N])[1])
run('node delete second', lambda: c.node.delete(M))

json.dump(results, sys.stdout, indent=1, sort_keys=True, default=str)
