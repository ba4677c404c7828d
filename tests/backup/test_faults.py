"""The faults a real office has: each leaves nothing lost, a clear Czech message, and the app's
data and earlier backups intact."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from apk_desktop.backup import archive, reader, service, state
from apk_desktop.backup.atomic import is_partial_name
from apk_desktop.backup.errors import BackupCancelled
from apk_desktop.backup.restore import recover_at_startup
from apk_desktop.backup.settings import BackupSettings
from apk_desktop.domain.errors import StorageUnavailableError
from tests.backup.conftest import Live, dump, failing_opener, leftovers


def backup(live: Live, **kwargs: object) -> service.BackupResult:
    settings = BackupSettings(folder=str(live.share))
    return service.backup_now(live.url, settings, **kwargs)  # type: ignore[arg-type]


def assert_untouched(live: Live, before: dict[str, list[tuple[object, ...]]]) -> None:
    assert dump(live.db_path) == before
    assert not partials_in(live.share)
    assert not [n for n in leftovers(service.work_dir()) if is_partial_name(n)]


def partials_in(share: Path) -> list[Path]:
    return [p for p in share.rglob("*") if is_partial_name(p.name)]


def add_big_scan(live: Live, size: int = 400_000, name: str = "velký sken.pdf") -> None:
    """New data for the next backup to write (an incremental backup writes only what is new)."""
    (live.scans / name).write_bytes(os.urandom(size))


def test_share_missing_or_offline(live: Live, tmp_path: Path) -> None:
    before = dump(live.db_path)
    settings = BackupSettings(folder=str(tmp_path / "offline-server" / "share" / "apk"))
    with pytest.raises(StorageUnavailableError, match="není dostupná") as caught:
        service.backup_now(live.url, settings)
    assert "data v aplikaci zůstala beze změny" in caught.value.message
    assert dump(live.db_path) == before
    assert state.load().last_error == caught.value.message
    assert not service.list_backups(service.work_dir())


def test_share_drops_off_half_way(live: Live, tmp_path: Path) -> None:
    before = dump(live.db_path)
    first = backup(live)
    offline = tmp_path / "share-offline"

    def unplug() -> None:
        live.share.rename(offline)  # the partial goes with the share; cannot be removed now

    add_big_scan(live)
    with pytest.raises(StorageUnavailableError, match=r"přerušilo spojení|není dostupná"):
        backup(live, opener=failing_opener(100_000, errno.EIO, on_fail=unplug))
    offline.rename(live.share)  # the share is back
    assert [e.name for e in service.list_backups(live.share)] == [first.path.name]  # type: ignore[union-attr]
    partials = partials_in(live.share)
    assert len(partials) <= 1  # recognisable, never listed as a backup
    for path in partials:  # left by the dropped connection some time ago
        os.utime(path, (0, 0))
    reader.verify(first.path, tmp_path)  # type: ignore[arg-type]
    second = backup(live)
    assert dump(live.db_path) == before
    assert not partials_in(live.share)
    assert len(service.list_backups(live.share)) == 2
    assert second.path is not None and reader.verify(second.path, tmp_path)


@pytest.mark.parametrize("fail_after", [0, 4096, 300_000])
def test_disk_full(live: Live, fail_after: int) -> None:
    before = dump(live.db_path)
    first = backup(live)
    add_big_scan(live)
    with pytest.raises(StorageUnavailableError, match="není dost místa"):
        backup(live, opener=failing_opener(fail_after, errno.ENOSPC))
    assert_untouched(live, before)
    assert [e.path for e in service.list_backups(live.share)] == [first.path]
    reader.verify(first.path, service.work_dir())  # type: ignore[arg-type]
    assert backup(live).path is not None  # space again: the next backup works


def test_permission_denied(live: Live) -> None:
    before = dump(live.db_path)

    def denied(path: Path) -> object:
        raise PermissionError(errno.EACCES, "Access is denied", str(path))

    with pytest.raises(StorageUnavailableError, match="nemáte oprávnění"):
        backup(live, opener=denied)
    assert_untouched(live, before)
    assert not service.list_backups(live.share)


KILLED_BACKUP = """
import sys
from pathlib import Path
from apk_desktop.backup import service

class Stalling:
    def __init__(self, real):
        self.real = real
    def write(self, data):
        self.real.write(data)
        self.real.flush()
        print("copying", flush=True)
        sys.stdin.readline()  # wait here until the test kills us
    def __getattr__(self, name):
        return getattr(self.real, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.real.close()

service.create_backup(Path(sys.argv[1]), Path(sys.argv[2]),
                      opener=lambda p: Stalling(open(p, "xb")))
"""


def test_app_killed_during_a_backup(live: Live) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_BACKUP, str(live.db_path), str(live.share)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=Path(__file__).parents[2],
    )
    assert process.stdout is not None
    assert process.stdout.readline() == b"copying\n"
    process.kill()
    process.wait()
    assert process.stdin is not None
    process.stdin.close()
    process.stdout.close()
    left_share = [n for n in leftovers(live.share) if is_partial_name(n)]
    left_work = [n for n in leftovers(service.work_dir()) if is_partial_name(n)]
    assert left_share and left_work  # what a kill leaves behind …
    assert service.list_backups(live.share) == []  # … is never taken for a backup
    for path in [live.share / n for n in left_share] + [service.work_dir() / n for n in left_work]:
        os.utime(path, (0, 0))  # the kill was a while ago
    recover_at_startup(live.url)  # the next start
    assert not [n for n in leftovers(service.work_dir()) if is_partial_name(n)]
    result = backup(live)  # the next backup cleans the share
    assert not partials_in(live.share)
    assert [e.path for e in service.list_backups(live.share)] == [result.path]


def test_concurrent_writes_during_a_backup(live: Live) -> None:
    connection = sqlite3.connect(live.db_path)
    with connection:
        connection.execute("CREATE TABLE pairs (id INTEGER PRIMARY KEY, body BLOB)")
        connection.executemany(
            "INSERT INTO pairs (body) VALUES (?)", [(os.urandom(4000),) for _ in range(500)]
        )
    connection.close()
    done = threading.Event()
    writes: list[int] = []
    errors: list[BaseException] = []

    def write_pairs() -> None:  # the GUI saving records in one transaction each
        try:
            while not done.is_set():
                with live.db.unit_of_work() as session:
                    from sqlalchemy import text

                    for _ in range(2):
                        session.execute(text("INSERT INTO pairs (body) VALUES (randomblob(4000))"))
                writes.append(1)
        except BaseException as exc:
            errors.append(exc)

    writer = threading.Thread(target=write_pairs)
    writer.start()
    try:
        results = [backup(live) for _ in range(2)]
    finally:
        done.set()
        writer.join()
    assert not errors
    assert writes  # the writer was never locked out
    for result in results:
        assert result.manifest is not None and result.path is not None
        assert result.manifest.counts["pairs"] % 2 == 0  # whole transactions only
        reader.verify(result.path, service.work_dir())


def test_clock_set_back(live: Live) -> None:
    moments = iter(
        [datetime(2026, 5, 1, 12, 0), datetime(2026, 5, 1, 12, 0), datetime(2025, 1, 1, 8, 0)]
    )
    settings = BackupSettings(
        folder=str(live.share), keep_last=1, keep_daily=0, keep_weekly=0, keep_monthly=1
    )
    made = []
    for moment in moments:
        from sqlalchemy import text

        with live.db.unit_of_work() as session:
            session.execute(text("UPDATE assistant SET note = :n WHERE id = 1"), {"n": str(moment)})
        made.append(service.backup_now(live.url, settings, now=lambda m=moment: m))  # type: ignore[misc]
    names = [r.path.name for r in made]  # type: ignore[union-attr]
    assert len(set(names)) == 3  # same second twice: still unique names
    remaining = service.list_backups(live.share)
    assert [e.name for e in remaining] == [names[-1]]  # the newest, despite its older date
    assert remaining[0].created_at < datetime(2026, 1, 1)


def test_backup_only_when_changed(live: Live) -> None:
    settings = BackupSettings(folder=str(live.share))
    first = service.backup_now(live.url, settings, force=False)
    again = service.backup_now(live.url, settings, force=False)
    assert first.path is not None and again.skipped
    assert state.load().last_unchanged_at
    (live.scans / "new.pdf").write_bytes(b"%PDF new scan")
    third = service.backup_now(live.url, settings, force=False)
    assert third.path is not None


def test_due_and_overdue() -> None:
    settings = BackupSettings(interval_hours=24)
    now = datetime(2026, 1, 10, 12, 0)
    assert service.is_due(settings, None, now)
    assert not service.is_due(settings, now - timedelta(hours=5), now)
    assert service.is_due(settings, now - timedelta(hours=25), now)
    assert service.is_due(settings, now + timedelta(days=3), now)  # clock went back
    assert not service.is_overdue(settings, now - timedelta(hours=30), now)
    assert service.is_overdue(settings, now - timedelta(days=3), now)


def test_folder_backups_of_a_server_database_point_to_the_server_and_the_archive() -> None:
    with pytest.raises(service.BackupError, match="jen pro databázi SQLite") as caught:
        service.sqlite_path("postgresql+psycopg://u:p@server/apk")
    assert "zálohuje server" in caught.value.message and "Exportovat archiv" in caught.value.message


@pytest.mark.parametrize("member", [archive.DB_MEMBER, "scans/"])
def test_a_damaged_local_archive_is_never_published(
    live: Live, monkeypatch: pytest.MonkeyPatch, member: str
) -> None:
    """Bits rotting in the local archive after it was written (and hashed) are caught by the
    read-back before the copy on the share gets its name."""
    before = dump(live.db_path)
    real_write = archive.write_archive

    def write_then_rot(out: Path, *args: object, **kwargs: object) -> archive.Manifest:
        manifest = real_write(out, *args, **kwargs)  # type: ignore[arg-type]
        with zipfile.ZipFile(out) as zf:
            info = next(i for i in zf.infolist() if i.filename.startswith(member))
        with open(out, "r+b") as fh:
            fh.seek(info.header_offset + 26)
            name_len = int.from_bytes(fh.read(2), "little")
            extra_len = int.from_bytes(fh.read(2), "little")
            fh.seek(info.header_offset + 30 + name_len + extra_len + info.compress_size // 2)
            byte = fh.read(1)
            fh.seek(-1, os.SEEK_CUR)
            fh.write(bytes([byte[0] ^ 0x01]))
        return manifest

    monkeypatch.setattr(archive, "write_archive", write_then_rot)
    with pytest.raises(archive.VerificationError, match="poškozená nebo neúplná"):
        service.create_backup(live.db_path, live.share)
    assert_untouched(live, before)
    assert not service.list_backups(live.share)


def test_a_file_in_place_of_the_folder(live: Live, tmp_path: Path) -> None:
    """A share path that is a file (a wrong setting, or a stale placeholder): a clear message,
    not an OS error text."""
    placeholder = tmp_path / "zalohy"
    placeholder.write_bytes(b"not a folder")
    before = dump(live.db_path)
    for folder in (placeholder, placeholder / "apk"):
        settings = BackupSettings(folder=str(folder))
        with pytest.raises(StorageUnavailableError, match="není dostupná") as caught:
            service.backup_now(live.url, settings)
        assert "File exists" not in caught.value.message
    assert dump(live.db_path) == before
    assert placeholder.read_bytes() == b"not a folder"


@pytest.fixture
def small_share(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB filesystem (tmpfs); skipped where mounting is not allowed (not root, CI)."""
    mount_point = tmp_path / "small-share"
    mount_point.mkdir()
    if os.name != "posix" or shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def test_a_really_full_disk(live: Live, small_share: Path) -> None:
    """Not a fake file object: a filesystem that runs out of space while writing new scans."""
    (live.scans / "velký sken.pdf").write_bytes(os.urandom(700_000))
    settings = BackupSettings(folder=str(small_share))
    first = service.backup_now(live.url, settings)
    assert first.path is not None and first.size > 900_000
    add_big_scan(live, 1_300_000, "další sken.pdf")  # cannot fit next to the first backup
    before = dump(live.db_path)
    with pytest.raises(StorageUnavailableError, match="není dost místa"):
        service.backup_now(live.url, settings)
    assert not partials_in(small_share)  # no partial file left on the share
    assert_untouched(live, before)
    assert [e.path for e in service.list_backups(small_share)] == [first.path]
    reader.verify(first.path, service.work_dir())  # the earlier backup is intact
    (live.scans / "další sken.pdf").unlink()
    assert service.backup_now(live.url, settings).path is not None  # the next backup works


def test_due_and_overdue_at_the_exact_boundaries() -> None:
    settings = BackupSettings(interval_hours=24)
    now = datetime(2026, 1, 10, 12, 0)
    assert service.is_due(settings, now - timedelta(hours=24), now)
    assert not service.is_due(settings, now - timedelta(hours=24) + timedelta(seconds=1), now)
    assert not service.is_due(settings, now, now)  # just made
    limit = timedelta(hours=24 * 1.5 + 1)  # one and a half periods plus an hour of slack
    assert not service.is_overdue(settings, now - limit, now)
    assert service.is_overdue(settings, now - limit - timedelta(seconds=1), now)
    assert service.is_overdue(settings, None, now)  # never backed up
    weekly = BackupSettings(interval_hours=168)
    assert not service.is_overdue(weekly, now - timedelta(hours=168 * 1.5 + 1), now)
    assert service.is_overdue(weekly, now - timedelta(hours=168 * 1.5 + 1, seconds=1), now)


def test_verify_remembers_its_result(live: Live, tmp_path: Path) -> None:
    made = service.create_backup(live.db_path, live.share)  # a .zip: a flipped byte breaks it
    assert made.path is not None
    moment = datetime(2026, 2, 3, 4, 5, 6)
    service.verify_backup(made.path, now=lambda: moment)
    check = state.load().verifications[made.path.name]
    assert check == state.Verification(True, "2026-02-03T04:05:06", "v pořádku")
    flipped = bytearray(made.path.read_bytes())
    flipped[len(flipped) // 2] ^= 0x01
    made.path.write_bytes(bytes(flipped))
    with pytest.raises(archive.VerificationError) as caught:
        service.verify_backup(made.path, now=lambda: moment)
    check = state.load().verifications[made.path.name]
    assert check == state.Verification(False, "2026-02-03T04:05:06", caught.value.message)
    assert made.path.name in caught.value.message


def test_backup_now_records_every_outcome(
    live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = datetime(2026, 3, 4, 5, 6, 7)
    iso = "2026-03-04T05:06:07"
    with pytest.raises(service.BackupError) as unset:
        service.backup_now(live.url, BackupSettings(), now=lambda: moment)
    assert unset.value.message == (
        "Složka pro zálohy není nastavena. Nastavte ji na obrazovce Zálohy."
    )
    assert (state.load().last_error, state.load().last_error_at) == (unset.value.message, iso)

    settings = BackupSettings(folder=str(live.share), include_scans=False)
    calls: list[str] = []
    made = service.backup_now(
        live.url, settings, now=lambda: moment, progress=lambda _d, _t, what: calls.append(what)
    )
    assert made.path is not None and made.manifest is not None
    assert not made.manifest.scans_included  # the setting is honoured
    assert "Ukládám data do zálohy…" in calls
    after = state.load()
    assert (after.last_success_at, after.last_success_path) == (iso, str(made.path))
    assert after.last_fingerprint == made.fingerprint
    assert (after.last_error, after.last_error_at) == ("", "")
    assert after.verifications == {
        made.path.name: state.Verification(True, iso, "ověřeno při vytvoření")
    }

    with pytest.raises(BackupCancelled):
        service.backup_now(live.url, settings, cancel=lambda: True)

    def broken(*_args: object, **_kwargs: object) -> service.BackupResult:
        raise RuntimeError("nečekaná chyba")

    with monkeypatch.context() as patched:  # only this: the data folder stays in tmp_path
        patched.setattr(service, "create_incremental", broken)
        with pytest.raises(RuntimeError):
            service.backup_now(live.url, settings, now=lambda: moment)
    assert (state.load().last_error, state.load().last_error_at) == ("nečekaná chyba", iso)

    later = datetime(2026, 3, 5, 0, 0, 0)
    skipped = service.backup_now(live.url, settings, force=False, now=lambda: later)
    assert skipped.skipped
    final = state.load()
    assert final.last_unchanged_at == "2026-03-05T00:00:00"
    assert (final.last_error, final.last_error_at) == ("", "")
    assert final.last_success_at == iso
