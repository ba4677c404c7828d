"""One test per protection of the backup code that once could be deleted with the whole suite
still green: each fails when its protection is removed (checked by removing it)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import warnings
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

import pytest

from apk_desktop.backup import archive, atomic, restore, service, state
from apk_desktop.backup.errors import VerificationError
from apk_desktop.backup.retention import RetentionPolicy
from apk_desktop.backup.settings import BackupSettings
from apk_desktop.domain.errors import StorageUnavailableError
from tests.backup.conftest import Live, WrappedFile, add_rows, dump, leftovers, read_scans


def make(live: Live) -> Path:
    result = service.create_backup(live.db_path, live.share)
    assert result.path is not None
    return result.path


def rebuild(
    source: Path,
    target: Path,
    *,
    replace: dict[str, bytes] | None = None,
    extra: dict[str, bytes] | None = None,
    update_manifest: bool = False,
) -> Path:
    """A well-formed zip (every CRC right) with members replaced or added; the manifest keeps
    its old sizes and checksums unless ``update_manifest``."""
    replace, extra = replace or {}, extra or {}
    with zipfile.ZipFile(source) as zf:
        manifest = json.loads(zf.read(archive.MANIFEST_NAME))
        members = {n: zf.read(n) for n in zf.namelist() if n != archive.MANIFEST_NAME}
    members.update(replace)
    if update_manifest:
        for name in replace:
            body = members[name]
            manifest["members"][name] = {
                "size": len(body),
                "sha256": hashlib.sha256(body).hexdigest(),
            }
    with zipfile.ZipFile(target, "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a duplicate name, on purpose
        for name, body in [*members.items(), *extra.items()]:
            zf.writestr(name, body)
        zf.writestr(archive.MANIFEST_NAME, json.dumps(manifest))
    return target


# (a) the sha256 comparison of a member ---------------------------------------------------


def test_a_member_with_a_valid_crc_but_other_content_is_refused(live: Live, tmp_path: Path) -> None:
    """Not a flipped bit (zipfile's CRC catches those) but a consistent zip whose scan was
    swapped for other bytes of the same length: only the sha256 can tell."""
    path = make(live)
    manifest = archive.read_manifest(path)
    scan = next(n for n in manifest.members if n.startswith(archive.SCANS_PREFIX))
    other = os.urandom(int(manifest.members[scan]["size"]))
    forged = rebuild(path, tmp_path / "forged.zip", replace={scan: other})
    with pytest.raises(VerificationError, match="kontrolní součet nesouhlasí"):
        archive.verify_archive(forged, tmp_path)
    (tmp_path / "out").mkdir()
    with pytest.raises(VerificationError, match="kontrolní součet nesouhlasí"):
        archive.extract_scans(forged, tmp_path / "out")


# (b) the check for members not in the manifest --------------------------------------------


@pytest.mark.parametrize("extra", ["scans/2026/podstrčený.pdf", "autorun.sh", "duplicate"])
def test_a_member_the_manifest_does_not_list_is_refused(
    live: Live, tmp_path: Path, extra: str
) -> None:
    path = make(live)
    manifest = archive.read_manifest(path)
    if extra == "duplicate":
        name = next(n for n in manifest.members if n.startswith(archive.SCANS_PREFIX))
        added = {name: b"a second body under a listed name"}
    else:
        added = {extra: b"not from this app"}
    forged = rebuild(path, tmp_path / "forged.zip", extra=added)
    with pytest.raises(VerificationError, match="nesouhlasí obsah"):
        archive.verify_archive(forged, tmp_path)


# (c) PRAGMA integrity_check in verify ----------------------------------------------------


def corrupt_an_index(db: Path) -> None:
    """Change one key inside an index page: the rows and their count stay, the index no
    longer matches its table (only ``PRAGMA integrity_check`` notices)."""
    connection = sqlite3.connect(db)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'zz_note_index'"
    ).fetchone()[0]
    connection.close()
    data = bytearray(db.read_bytes())
    page = slice((root - 1) * page_size, root * page_size)
    at = data[page].index(b"note-00007")
    start = (root - 1) * page_size + at
    data[start : start + 10] = b"note-99999"
    db.write_bytes(bytes(data))
    connection = sqlite3.connect(db)
    problems = connection.execute("PRAGMA integrity_check").fetchall()
    assert problems != [("ok",)]
    connection.close()


def test_a_database_failing_the_integrity_check_is_refused(live: Live, tmp_path: Path) -> None:
    connection = sqlite3.connect(live.db_path)
    with connection:
        connection.execute("UPDATE zz_extra SET note = printf('note-%05d', id)")
        connection.execute("CREATE INDEX zz_note_index ON zz_extra (note)")
    connection.close()
    path = make(live)
    with zipfile.ZipFile(path) as zf:
        body = zf.read(archive.DB_MEMBER)
    db = tmp_path / "db.sqlite3"
    db.write_bytes(body)
    corrupt_an_index(db)
    forged = rebuild(
        path,
        tmp_path / "forged.zip",
        replace={archive.DB_MEMBER: db.read_bytes()},
        update_manifest=True,
    )
    with pytest.raises(VerificationError, match="kontrola integrity"):
        archive.verify_archive(forged, tmp_path)


# (e) dropping the WAL before the swap ------------------------------------------------------

CRASHED_WRITER = """
import os, signal, sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
connection.execute("PRAGMA journal_mode=WAL")
connection.execute("PRAGMA wal_autocheckpoint=0")
with connection:
    connection.execute("UPDATE assistant SET last_name = 'Po pádu'")
    connection.executemany("INSERT INTO zz_extra (body, note) VALUES (randomblob(3000), ?)",
                           [(str(i),) for i in range(200)])
os.kill(os.getpid(), signal.SIGKILL)  # the app dies: committed pages only in the WAL
"""


def test_a_stale_wal_never_meets_the_restored_database(live: Live) -> None:
    rows = dump(live.db_path)
    path = make(live)
    live.db.dispose()
    writer = subprocess.run([sys.executable, "-c", CRASHED_WRITER, str(live.db_path)], check=False)
    assert writer.returncode == -9
    wal = Path(f"{live.db_path}-wal")
    assert wal.stat().st_size > 200 * 3000
    outcome = restore.restore_backup(path, live.db_path)
    assert not [p.name for p in live.db_path.parent.iterdir() if p.name.endswith(("-wal", "-shm"))]
    assert dump(live.db_path) == rows
    connection = sqlite3.connect(live.db_path)
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    connection.close()
    # what the crashed app had committed is in the safety backup
    safety = archive.verify_archive(Path(outcome.safety_backup), service.work_dir())
    assert safety.counts["zz_extra"] == 220


# (f) the number of safety backups kept ----------------------------------------------------


@pytest.mark.parametrize(
    ("ages", "kept"),
    [
        ([90, 60, 45, 31, 29, 5], [29, 5]),  # the month's ones (with the new: the 3 newest)
        ([90, 60, 45, 31], [45, 31]),  # the 3 newest however old
        ([25, 20, 15, 10, 5, 1], [25, 20, 15, 10, 5, 1]),  # every one of the last 30 days
    ],
)
def test_safety_backups_stay_a_month_and_the_three_newest(
    live: Live, ages: list[int], kept: list[int]
) -> None:
    """The rule after a restore: every safety backup younger than 30 days, and at least the
    3 newest, stay; older ones beyond those go."""
    made = service.create_backup(live.db_path, live.share)
    assert made.path is not None
    now = service.local_now()
    by_age: dict[int, str] = {}
    everything = RetentionPolicy(keep_last=1000, keep_weekly=0, keep_monthly=0)
    for age in ages:  # oldest first, as they were made
        moment = now - timedelta(days=age)
        older = service.create_backup(
            live.db_path, service.safety_dir(), policy=everything, now=lambda m=moment: m
        )
        assert older.path is not None
        by_age[age] = older.path.name
    live.db.dispose()
    new = Path(restore.restore_backup(made.path, live.db_path).safety_backup).name
    remaining = sorted(e.name for e in service.list_backups(service.safety_dir()))
    assert remaining == sorted([new, *(by_age[age] for age in kept)])


# (g) pruning that ignores verification results ---------------------------------------------


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x40
    path.write_bytes(bytes(data))


def test_pruning_keeps_the_newest_backup_that_passed_its_check(live: Live) -> None:
    settings = BackupSettings(folder=str(live.share), keep_last=3, keep_weekly=0)
    made = []

    def archive_backup() -> service.BackupResult:  # .zip: a flipped byte always breaks it
        return service.create_backup(live.db_path, live.share, policy=settings.policy)

    for _ in range(3):
        add_rows(live.db_path, count=1)
        result = archive_backup()
        assert result.path is not None
        made.append(result.path)
    good, *rotten = made
    for path in rotten:  # the share damages what it stores
        flip_a_byte(path)
        with pytest.raises(VerificationError):
            service.verify_backup(path)
    assert not state.load().verifications[rotten[-1].name].ok
    add_rows(live.db_path, count=1)
    newest = archive_backup()
    kept = {e.path for e in service.list_backups(live.share)}
    assert good in kept  # the newest one known to restore
    assert newest.path in kept and set(rotten) <= kept  # keep_last=3
    add_rows(live.db_path, count=1)
    archive_backup()
    kept = {e.path for e in service.list_backups(live.share)}
    assert newest.path in kept and good not in kept  # a newer good one now stands in for it


# (h) the fsync of the copy on the share -------------------------------------------------


def test_the_copy_on_the_share_is_fsynced_whole_before_it_gets_its_name(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A spy on os.fsync and os.link/os.rename: the share copy's file descriptor is fsynced
    with every byte already handed to the OS, and only then linked/renamed to its name."""
    events: list[tuple[str, int, int]] = []  # (what, inode, size)
    real_fsync, real_link, real_rename = os.fsync, os.link, os.rename

    def fsync(fd: int) -> None:
        st = os.fstat(fd)
        events.append(("fsync", st.st_ino, st.st_size))
        real_fsync(fd)

    def link(src: str | Path, dst: str | Path, **kwargs: object) -> None:
        st = os.stat(src)
        events.append(("name", st.st_ino, st.st_size))
        real_link(src, dst, **kwargs)  # type: ignore[arg-type]

    def rename(src: str | Path, dst: str | Path, **kwargs: object) -> None:
        st = os.stat(src)
        events.append(("name", st.st_ino, st.st_size))
        real_rename(src, dst, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as spied:  # only these: the data folder stays in tmp_path
        spied.setattr(atomic.os, "fsync", fsync)
        spied.setattr(atomic.os, "link", link)
        spied.setattr(atomic.os, "rename", rename)
        result = service.create_backup(live.db_path, live.share)
    assert result.path is not None
    final = result.path.stat()
    on_share = [e for e in events if e[1] == final.st_ino]
    assert on_share[0] == ("fsync", final.st_ino, final.st_size)
    assert ("name", final.st_ino, final.st_size) in on_share[1:]
    named = events.index(("name", final.st_ino, final.st_size))
    folder = live.share.stat().st_ino  # and the new name itself is made durable
    assert [e for e in events[named:] if e[:2] == ("fsync", folder)]


def test_the_fsync_covers_a_short_last_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A last chunk smaller than the file object's buffer is still in Python's buffer unless it
    is flushed before the fsync."""
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(2 * atomic.CHUNK_SIZE + 100))
    folder = tmp_path / "share"
    folder.mkdir()
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.fstat(fd).st_size)
        real_fsync(fd)

    with monkeypatch.context() as spied:
        spied.setattr(atomic.os, "fsync", fsync)
        atomic.copy_into_folder(source, folder, lambda _a: "b.zip")
    assert synced[0] == source.stat().st_size


def test_strace_sees_the_share_copy_fsynced_before_its_link(live: Live, tmp_path: Path) -> None:
    """The same at the real OS boundary: the syscalls of a backup run under strace."""
    import shutil

    if shutil.which("strace") is None:
        pytest.skip("strace is not installed")
    log = tmp_path / "strace.log"
    calls = "trace=write,pwrite64,fsync,fdatasync,link,linkat,rename,renameat,renameat2"
    backup = ["-m", "apk_desktop", "--db", str(live.db_path), "backup", "--to", str(live.share)]
    run = subprocess.run(
        ["strace", "-f", "-y", "-o", str(log), "-e", calls, sys.executable, *backup],
        capture_output=True,
        check=False,
        cwd=Path(__file__).parents[2],
    )
    if run.returncode != 0 and b"ptrace" in run.stderr:
        pytest.skip("ptrace is not allowed here")
    assert run.returncode == 0, run.stderr.decode()
    # Every file of the incremental backup (each object and the manifest) has its own
    # temporary name on the share: its writes, then its fsync, then its link/rename.
    partial = re.compile(rf"{re.escape(str(live.share))}/[a-z]+/{atomic.PARTIAL_PREFIX}[^>\"]+")
    events: dict[str, list[tuple[str, int]]] = {}
    for number, line in enumerate(log.read_text(errors="replace").splitlines()):
        found = partial.search(line)
        if found is None:
            continue
        call = line.split(maxsplit=1)[1]
        kind = (
            "write"
            if call.startswith(("write(", "pwrite64("))
            else "fsync"
            if call.startswith(("fsync(", "fdatasync("))
            else "name"
            if call.startswith(("link", "rename"))
            else ""
        )
        if kind:
            events.setdefault(found.group(0), []).append((kind, number))
    assert len(events) >= 3  # the database snapshot, the scans, the manifest
    for path, seen in events.items():
        last_write = max(n for k, n in seen if k == "write")
        last_fsync = max(n for k, n in seen if k == "fsync")
        named = min(n for k, n in seen if k == "name")
        assert last_write < last_fsync < named, path


# (i) the size check after the copy --------------------------------------------------------


class SilentlyShort(WrappedFile):
    """A share that swallows the tail of a file and reports success (a broken SMB server)."""

    def __init__(self, real: BinaryIO, keep: int) -> None:
        super().__init__(real)
        self.keep, self.seen = keep, 0

    def write(self, data: bytes | memoryview) -> int:
        room = max(self.keep - self.seen, 0)
        self.real.write(data[:room])
        self.seen += len(data)
        return len(data)


def short_opener(keep: int) -> atomic.Opener:
    def opener(path: Path) -> BinaryIO:
        return SilentlyShort(open(path, "xb"), keep)  # type: ignore[return-value]

    return opener


@pytest.mark.parametrize("missing", [1, 100_000])
def test_a_copy_shorter_than_its_source_is_never_published(live: Live, missing: int) -> None:
    first = service.create_backup(live.db_path, live.share)  # the .zip copy (exports)
    rows, scans = dump(live.db_path), read_scans(live.scans)
    local_size = first.size
    with pytest.raises(StorageUnavailableError, match="přerušilo spojení"):
        service.create_backup(live.db_path, live.share, opener=short_opener(local_size - missing))
    assert leftovers(live.share) == [first.path.name]  # type: ignore[union-attr]
    assert dump(live.db_path) == rows and read_scans(live.scans) == scans


def test_atomic_copy_checks_the_size_it_wrote(tmp_path: Path) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(atomic.CHUNK_SIZE + 10))
    folder = tmp_path / "share"
    folder.mkdir()
    with pytest.raises(OSError) as caught:
        atomic.copy_into_folder(
            source, folder, lambda _a: "b.zip", opener=short_opener(atomic.CHUNK_SIZE)
        )
    assert caught.value.errno == errno.EIO
    assert leftovers(folder) == []
