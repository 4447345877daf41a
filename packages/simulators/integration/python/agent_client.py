"""Drives an IPA agent with Ironic's own AgentClient (python3-ironic), as the conductor does.

Usage: agent_client.py <agent_url> <agent_token> <node_uuid> <image_id>

Prints one JSON object per line on stdout ({"event": ..., "result": ...} or {"event": ..., "error":
<exception class>, "message": ...}); reads one word per line on stdin when it prints a "waiting" event.
"""
import json
import sys
import types

from ironic.conf import CONF
from ironic.drivers.modules import agent_client


def emit(event, **fields):
    print(json.dumps(dict(event=event, **fields), default=str), flush=True)


def wait_for(word):
    emit('waiting', word=word)
    line = sys.stdin.readline().strip()
    if line != word:
        raise SystemExit('expected %r on stdin, got %r' % (word, line))


def attempt(event, call):
    """Runs one AgentClient call and reports what it returned or raised."""
    try:
        emit(event, result=call())
    except Exception as error:  # the class and message are what the test compares
        emit(event, error=type(error).__name__, message=str(error))


def node_for(uuid, agent_url, token):
    """What AgentClient reads of a node: its uuid and where its agent is, with the agent's token."""
    return types.SimpleNamespace(
        uuid=uuid,
        driver_internal_info={'agent_url': agent_url, 'agent_secret_token': token},
        driver_info={},
        instance_info={},
    )


def main():
    agent_url, token, uuid, image_id = sys.argv[1:5]
    CONF([], project='ironic', default_config_files=[])
    client = agent_client.AgentClient()
    node = node_for(uuid, agent_url, token)
    image_info = {
        'id': image_id,
        'urls': ['http://127.0.0.1:8080/images/%s.qcow2' % image_id],
        'disk_format': 'qcow2',
        'os_hash_algo': 'sha256',
        'os_hash_value': 'a' * 64,
    }

    attempt('status-before', lambda: client.get_commands_status(node))
    attempt('prepare-image', lambda: client._command(
        node, 'standby.prepare_image', {'image_info': image_info}, wait=False))
    attempt('last-while-running', lambda: client.get_last_command_status(node, 'standby.prepare_image'))
    attempt('sync-while-busy', lambda: client.sync(node))
    wait_for('written')
    attempt('last-when-done', lambda: client.get_last_command_status(node, 'prepare_image'))
    attempt('sync', lambda: client.sync(node))
    attempt('partition-uuids', lambda: client.get_partition_uuids(node))
    attempt('system-logs', lambda: client.collect_system_logs(node))
    attempt('wrong-token', lambda: client.sync(node_for(uuid, agent_url, 'not-the-token')))
    attempt('unknown-command', lambda: client._command(node, 'standby.nope', {}))
    attempt('bad-params', lambda: client._command(node, 'standby.prepare_image', {'image_info': {'id': 'x'}}))
    attempt('status-after', lambda: [c['command_name'] for c in client.get_commands_status(node)])
    attempt('power-off', lambda: client.power_off(node))
    emit('finished')


if __name__ == '__main__':
    main()
