"""The VAPID key pair: generated once and kept, or taken from the environment, never changed."""

import os
import stat
from pathlib import Path
from unittest import mock

import pytest

from core import instance
from notifications import vapid
from tests.push_service import unb64url


def test_generated_once_into_the_instance_folder(app):
    first = vapid.application_server_key(app)
    path = os.path.join(app.instance_path, vapid.KEY_FILE)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    app.extensions.pop("vapid")  # a restart reads the same file
    assert vapid.application_server_key(app) == first
    raw = unb64url(first)
    assert len(raw) == 65 and raw[0] == 4  # what applicationServerKey expects


def test_a_second_process_keeps_the_first_key(app, tmp_path):
    path = tmp_path / "keys" / vapid.KEY_FILE
    kept = instance.read_or_create(path, vapid._new_private_pem)
    # The process that lost the race: it finds the file missing, then cannot link its own key.
    with mock.patch.object(Path, "exists", return_value=False):
        assert instance.read_or_create(path, vapid._new_private_pem) == kept
    assert path.read_bytes() == kept
    assert [p.name for p in path.parent.iterdir()] == [vapid.KEY_FILE]


def test_keys_from_the_environment(app):
    private, public = vapid.new_key_pair()
    app.config.update(VAPID_PRIVATE_KEY=private, VAPID_PUBLIC_KEY=public)
    assert vapid.application_server_key(app) == public
    assert not os.path.exists(os.path.join(app.instance_path, vapid.KEY_FILE))


def test_a_public_key_that_does_not_match_is_refused(app):
    private, _public = vapid.new_key_pair()
    _other, stranger = vapid.new_key_pair()
    app.config.update(VAPID_PRIVATE_KEY=private, VAPID_PUBLIC_KEY=stranger)
    with pytest.raises(vapid.VapidKeyError):
        vapid.load(app)


def test_vapid_keys_command_prints_a_matching_pair(app, runner):
    result = runner.invoke(args=["vapid-keys"])
    lines = dict(line.split("=", 1) for line in result.output.split())
    app.config.update(
        VAPID_PRIVATE_KEY=lines["VAPID_PRIVATE_KEY"], VAPID_PUBLIC_KEY=lines["VAPID_PUBLIC_KEY"]
    )
    assert vapid.application_server_key(app) == lines["VAPID_PUBLIC_KEY"]
