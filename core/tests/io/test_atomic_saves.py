"""Atomic saves behave like ``open(path, "w")`` where the two could differ (links, read-only files,
missing folders, a forgotten path) and clean up after writers that crashed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from hamilton import driver
from hamilton.io.atomic import atomic_write, write_atomically
from hamilton.io.default_data_loaders import JSONDataSaver, PickleSaver
from hamilton.io.materialization import to


def make_dict() -> dict:
    return {"a": 1}


def save_json(path) -> None:
    """Save ``make_dict`` through the public materializer."""
    dr = driver.Builder().with_functions(make_dict).build()
    dr.materialize(to.json(id="saved", dependencies=["make_dict"], path=None if path is None else str(path)))


# -- symlinks ----------------------------------------------------------------------------------------


def test_saving_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    save_json(link)
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert json.loads(target.read_text()) == {"a": 1}


def test_the_helper_writes_through_a_dangling_symlink_like_open(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "created.txt")
    write_atomically(link, "new")
    assert link.is_symlink()
    assert (tmp_path / "created.txt").read_text() == "new"


# -- read-only files -----------------------------------------------------------------------------------


def test_a_read_only_file_is_refused_naming_it_and_left_unchanged(tmp_path):
    target = tmp_path / "frozen.json"
    target.write_text('{"old": true}')
    target.chmod(0o444)
    with pytest.raises(PermissionError) as caught:
        save_json(target)
    assert caught.value.filename == str(target)
    assert "read-only" in str(caught.value)
    assert json.loads(target.read_text()) == {"old": True}
    assert os.stat(target).st_mode & 0o777 == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frozen.json"]  # no temporary file left


def test_the_helper_refuses_a_read_only_file_too(tmp_path):
    target = tmp_path / "frozen.bin"
    target.write_bytes(b"old")
    target.chmod(0o444)
    with pytest.raises(PermissionError, match=r"frozen\.bin"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"


def test_a_writable_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "shared.json"
    target.write_text("{}")
    target.chmod(0o640)
    save_json(target)
    assert os.stat(target).st_mode & 0o777 == 0o640


# -- missing folders -----------------------------------------------------------------------------------


def test_a_missing_folder_is_reported_for_the_target_not_the_temporary_file(tmp_path):
    target = tmp_path / "missing" / "out.json"
    with pytest.raises(FileNotFoundError) as caught:
        save_json(target)
    assert caught.value.filename == str(target)
    assert ".tmp" not in str(caught.value)
    assert "does not exist" in str(caught.value)


def test_the_helper_names_the_target_of_a_missing_folder(tmp_path):
    target = tmp_path / "missing" / "out.txt"
    with pytest.raises(FileNotFoundError) as caught, atomic_write(target) as handle:
        handle.write("never")
    assert caught.value.filename == str(target)


def test_a_directory_is_not_replaced_by_a_file(tmp_path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(IsADirectoryError):
        write_atomically(tmp_path / "folder", "text")
    assert (tmp_path / "folder").is_dir()


# -- a forgotten path ----------------------------------------------------------------------------------


def test_path_none_names_the_saver_and_the_parameter():
    with pytest.raises(TypeError) as caught:
        save_json(None)
    message = str(caught.value)
    assert "JSONDataSaver" in message
    assert "'path'" in message
    assert "to.json" in message


@pytest.mark.parametrize("saver", [JSONDataSaver, PickleSaver])
def test_savers_check_their_path_when_built(saver):
    with pytest.raises(TypeError, match=rf"{saver.__name__}: parameter 'path'"):
        saver(path=None)


def test_the_helper_names_its_parameter():
    with pytest.raises(TypeError, match="atomic_write needs a file path"):
        write_atomically(None, "text")


# -- temporary files left by crashes ------------------------------------------------------------------


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_temporary_files_of_dead_writers_are_removed_by_the_next_save(tmp_path):
    target = tmp_path / "out.json"
    dead = tmp_path / f".out.json.{_dead_pid()}.0123456789ab.tmp"
    dead.write_text("half")
    old = tmp_path / ".out.json.0123456789ab.tmp"  # an older naming, without the writer's pid
    old.write_text("half")
    past = time.time() - 2 * 3600
    os.utime(old, (past, past))
    live = tmp_path / f".out.json.{os.getpid()}.ba9876543210.tmp"  # a writer still running, long
    live.write_text("in progress")
    os.utime(live, (past, past))
    other = tmp_path / f".other.json.{_dead_pid()}.0123456789ab.tmp"  # another target's
    other.write_text("half")
    save_json(target)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["out.json", live.name, other.name])
    assert json.loads(target.read_text()) == {"a": 1}
