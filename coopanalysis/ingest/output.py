"""Writing a set of tables into an output folder: all of them or none, touching nothing else.

``coopanalysis ingest --out DIR`` owns only the files it writes. The folder itself, its mode,
a ``.git/``, a ``.gitignore``, an analyst's notes and any other file stay as they are; a
symlinked ``DIR`` is followed (the tables go into its target, the link stays). What ingest wrote
is listed in ``DIR/.coopanalysis-manifest.json`` with each file's size and SHA-256, so:

* a later ingest removes a stale file only when an earlier ingest provably wrote it: the file is
  listed *and* still has the recorded size and SHA-256 (a hand-edited or foreign manifest can
  list ``thesis.docx``; it stays, and a note on stderr says so);
* a file of the same name as one about to be written that no earlier run listed (the user's own
  ``budget.csv``) is never overwritten: the run is refused with an :class:`InputError` naming it.

``coopanalysis export --format fdp`` uses the same transaction with its own manifest
(``written_by`` and ``manifest`` of :func:`replace_files`); :func:`foreign_files` and
:func:`record_files` serve callers that write their files themselves (``coopanalysis report``).

The transaction (:func:`replace_files`), under an exclusive ``flock`` on ``DIR`` so two ingests
into one folder run one after the other:

1. every new file is written and fsynced in a staging folder ``DIR/.coopanalysis-new-XXXX/``
   (inside ``DIR``, so it is on the same file system and needs no write access to the parent);
2. each file about to be replaced or removed is hard-linked (or copied) into ``backup/`` there;
3. ``journal.json`` is written: from now on the folder is *being swapped*;
4. each file is moved into place with ``os.replace``, stale files are removed, the manifest last;
5. ``journal.json`` is removed (the commit point) and the staging folder with it.

A failure in step 4 restores every file from ``backup/`` (the old complete set). A crash there
leaves the journal behind: the next ingest into the folder restores the old set before it
starts, and :func:`coopanalysis.model.plan.load_dir` refuses the folder until then (it would be a
mixture). A crash before step 3 leaves only a staging folder, removed by the next ingest.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

from coopanalysis.errors import InputError
from coopanalysis.io.safeio import display_path, printable
from coopanalysis.io.schema import INGEST_MANIFEST, INGEST_STAGING_PREFIX

__all__ = ["MANIFEST", "JOURNAL", "replace_files", "recover", "output_dir", "read_manifest", "foreign_files",
           "record_files", "claim_files", "file_digest"]

MANIFEST = INGEST_MANIFEST
JOURNAL = "journal.json"
_BACKUP = "backup"


def output_dir(out_dir: str | os.PathLike) -> Path:
    """The real folder behind *out_dir* (a symlink followed), created when missing."""
    real = Path(os.path.realpath(out_dir))
    name = display_path(out_dir)
    try:
        os.stat(out_dir)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("is a loop of symbolic links; choose another --out", path=name) from None
    if real.exists() and not real.is_dir():
        raise InputError("output exists and is not a directory", path=name)
    try:
        real.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        raise InputError("cannot create the output directory: permission denied", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot create the output directory ({exc.strerror or exc})", path=name) from None
    # a folder marked read-only (no owner write bit) is refused even for root, who may write anyway
    if not os.access(real, os.W_OK | os.X_OK) or not real.stat().st_mode & stat.S_IWUSR:
        raise InputError("output directory is not writable (read-only); choose another --out or "
                         "make it writable", path=name)
    return real


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _plain_name(name: object) -> bool:
    return isinstance(name, str) and bool(name) and "/" not in name and "\\" not in name \
        and not name.startswith(".") and "\0" not in name


def read_manifest(out: Path, manifest: str = MANIFEST) -> dict[str, dict | None]:
    """What an earlier run recorded in *out*: name -> ``{"size", "sha256"}`` (``None`` when only the
    name was recorded, as manifests before this one did). Plain file names only; anything odd in a
    hand-edited manifest is ignored.
    """
    try:
        data = json.loads((out / manifest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return {}
    digests = data.get("digests")
    digests = digests if isinstance(digests, dict) else {}
    recorded = {}
    for name in files:
        if _plain_name(name):
            entry = digests.get(name)
            ok = isinstance(entry, dict) and isinstance(entry.get("size"), int) \
                and isinstance(entry.get("sha256"), str)
            recorded[name] = {"size": entry["size"], "sha256": entry["sha256"]} if ok else None
    return recorded


def file_digest(path: Path) -> dict | None:
    """``{"size", "sha256"}`` of the regular file *path* (not followed if a symlink), else ``None``."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            return None
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return {"size": st.st_size, "sha256": digest.hexdigest()}


def _digest_of(data: bytes) -> dict:
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _provably_ours(path: Path, entry: dict | None) -> bool:
    """The file at *path* is still exactly what a run recorded writing."""
    return entry is not None and file_digest(path) == entry


def _exists(path: Path) -> bool:
    return os.path.lexists(path)


def foreign_files(out: Path, names, manifest: str = MANIFEST) -> list[str]:
    """Of *names*, those present in *out* that no earlier run recorded in *manifest*: the user's own
    files, which a run must not overwrite."""
    recorded = read_manifest(out, manifest)
    return [name for name in names if name not in recorded and name != manifest and _exists(out / name)]


def refuse_foreign(out: Path, names, manifest: str, written_by: str, shown: str | os.PathLike) -> None:
    """Raise :class:`InputError` naming the first of *names* in *out* that *written_by* did not write."""
    foreign = foreign_files(out, names, manifest)
    if foreign:
        more = f" (and {len(foreign) - 1} more: {', '.join(foreign[1:4])}{', ...' if len(foreign) > 4 else ''})" \
            if len(foreign) > 1 else ""
        raise InputError(f"exists and was not written by {written_by}{more}; it is left as it is: move it away "
                         "or choose another --out", path=display_path(Path(shown) / foreign[0]))


def manifest_bytes(written_by: str, digests: dict[str, dict | None]) -> bytes:
    """The manifest listing *digests* (name -> ``{"size", "sha256"}``, or ``None``: the name only)."""
    return (json.dumps({"written_by": written_by, "files": sorted(digests),
                        "digests": {name: digests[name] for name in sorted(digests) if digests[name]}},
                       ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def record_files(out: Path, names, manifest: str, written_by: str) -> None:
    """Add the files *names* in *out* to *manifest*, keeping earlier entries: with their size and
    SHA-256 when they exist, else by name (a run about to write them claims them first, so an
    interrupted run's files are still its own next time). The manifest is replaced atomically.

    For callers that write their files themselves (``coopanalysis report``)."""
    from coopanalysis.io.safeio import atomic_write_bytes

    digests = read_manifest(out, manifest)
    for name in names:
        entry = file_digest(out / name)
        if entry is not None or name not in digests:
            digests[name] = entry
    atomic_write_bytes(out / manifest, manifest_bytes(written_by, digests))


def claim_files(out: Path, names, manifest: str, written_by: str, shown: str | os.PathLike | None = None) -> None:
    """Refuse (:class:`InputError`) when one of *names* in *out* is a file no run of *written_by*
    recorded; else record *names* as that run's before it writes them."""
    names = list(names)
    refuse_foreign(out, names, manifest, written_by, out if shown is None else shown)
    record_files(out, names, manifest, written_by)


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _backup(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        shutil.copy2(src, dst)


def _restore(out: Path, stage: Path, names: list[str], had_old: list[str]) -> None:
    """Put back the old version of every name (or remove a name that had none)."""
    backup = stage / _BACKUP
    for name in names:
        if name in had_old:
            if (backup / name).exists():
                os.replace(backup / name, out / name)
        elif _is_file(out / name):
            os.unlink(out / name)


def recover(out: Path) -> None:
    """Undo an ingest into *out* that crashed mid-swap; remove staging folders it left."""
    for stage in sorted(out.glob(INGEST_STAGING_PREFIX + "*")):
        if not stage.is_dir() or stage.is_symlink():
            continue
        journal = stage / JOURNAL
        if journal.is_file():
            try:
                data = json.loads(journal.read_text(encoding="utf-8"))
                names, had_old = list(data["names"]), list(data["had_old"])
            except (OSError, ValueError, KeyError, TypeError):
                raise InputError(f"an interrupted ingest left an unreadable journal; move {stage.name} away "
                                 "and re-run the ingest", path=display_path(out)) from None
            _restore(out, stage, [n for n in names if isinstance(n, str) and "/" not in n], had_old)
            _fsync_dir(out)
            journal.unlink()
        shutil.rmtree(stage, ignore_errors=True)


def _lock(out: Path) -> int | None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        os.close(fd)
        return None
    return fd


def replace_files(out_dir: str | os.PathLike, files: dict[str, bytes], manifest: str = MANIFEST,
                  written_by: str = "coopanalysis ingest") -> list[Path]:
    """Write *files* (name -> bytes) into *out_dir* as one transaction (see the module docstring).

    Returns the paths written, in the order of *files*. Files in *out_dir* that are not in
    *files* are left alone, except those an earlier run of *written_by* recorded in *manifest*
    and that are unchanged since. A file of one of the names that no earlier run recorded is
    an :class:`InputError`, before anything is written.
    """
    out = output_dir(out_dir)
    lock = _lock(out)
    try:
        recover(out)
        refuse_foreign(out, files, manifest, written_by, out_dir)
        return _transaction(out, files, manifest, written_by)
    except PermissionError as exc:
        raise InputError(f"cannot write the tables: permission denied ({_shown(exc, out, out_dir)})",
                         path=display_path(out_dir)) from None
    except OSError as exc:  # a full disk: the same error, naming the file in --out, not the staging copy
        if exc.errno is None:
            raise
        raise OSError(exc.errno, exc.strerror or str(exc), _shown(exc, out, out_dir)) from None
    finally:
        if lock is not None:
            os.close(lock)


def _shown(exc: OSError, out: Path, out_dir) -> str:
    """The file an error is about, as the user named it: a staged copy is shown as its target."""
    name = exc.filename
    if not name:
        return display_path(out_dir)
    path = Path(os.fsdecode(name))
    if path.parent.name.startswith(INGEST_STAGING_PREFIX) or path.parent.name == _BACKUP:
        return display_path(Path(out_dir) / path.name)
    return display_path(path)


def _transaction(out: Path, files: dict[str, bytes], manifest: str, written_by: str) -> list[Path]:
    names = list(files)
    recorded = read_manifest(out, manifest)
    stale, kept = [], []
    for name in recorded:
        if name in files or name == manifest or not _exists(out / name):
            continue
        (stale if _provably_ours(out / name, recorded[name]) else kept).append(name)
    for name in kept:
        print(f"coopanalysis: note: {printable(display_path(out / name))}: listed in {manifest} but not (or no longer) "
              f"the file {written_by} wrote; left as it is", file=sys.stderr)
    manifest_data = manifest_bytes(written_by, {name: _digest_of(data) for name, data in files.items()})
    stage = Path(tempfile.mkdtemp(dir=out, prefix=INGEST_STAGING_PREFIX))
    swapping = False
    try:
        for name, data in files.items():
            _write_file(stage / name, data)
        _write_file(stage / manifest, manifest_data)
        (stage / _BACKUP).mkdir()
        touched = names + stale + [manifest]
        had_old = [n for n in touched if _is_file(out / n)]
        for name in had_old:
            _backup(out / name, stage / _BACKUP / name)
            if (stage / name).exists():  # a replaced table keeps its permissions
                os.chmod(stage / name, stat.S_IMODE(os.lstat(out / name).st_mode))
        _fsync_dir(stage / _BACKUP)
        _write_file(stage / (JOURNAL + ".tmp"), json.dumps({"names": touched, "had_old": had_old}).encode())
        os.replace(stage / (JOURNAL + ".tmp"), stage / JOURNAL)
        _fsync_dir(stage)
        swapping = True
        for name in names:
            os.replace(stage / name, out / name)
        for name in stale:
            if _is_file(out / name):
                os.unlink(out / name)
        os.replace(stage / manifest, out / manifest)
        _fsync_dir(out)
        os.unlink(stage / JOURNAL)  # commit point
        swapping = False
    except BaseException:
        if swapping:
            try:
                _restore(out, stage, touched, had_old)
                _fsync_dir(out)
                os.unlink(stage / JOURNAL)
            except Exception:  # noqa: S110 - the journal stays: the next ingest restores the old set
                pass
        raise
    finally:
        if not (stage / JOURNAL).exists():
            shutil.rmtree(stage, ignore_errors=True)
    return [out / name for name in names]
