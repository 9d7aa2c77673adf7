"""A data folder for pythainlp when the home folder cannot hold one (issue 26, case 14).

pythainlp creates ``~/pythainlp-data`` when it is imported (for its corpus catalogue). With
``$HOME`` missing, read-only or unwritable (a service account, a container, ``HOME=/proc/self``)
that fails, and every coopanalysis command ended in ``error: /proc/self/pythainlp-data: No such
file or directory``; with a missing home that root may create, each run left a new
``~/pythainlp-data`` behind. The toolkit needs none of pythainlp's downloads (its word list and
tokenizer ship with the package), so :func:`ensure_data_dir`, called before pythainlp is first
imported, points pythainlp at a private folder in the temporary directory instead:

* a data folder the user chose (``PYTHAINLP_DATA`` or ``PYTHAINLP_DATA_DIR``) is left alone;
* an existing writable ``~/pythainlp-data`` is used as always;
* a home where a folder can be made (checked by making and removing an empty one) is left to
  pythainlp, as before;
* otherwise ``PYTHAINLP_DATA`` (``PYTHAINLP_DATA_DIR`` for a pythainlp that reads only that one)
  is set to ``<tmp>/coopanalysis-pythainlp-<uid>`` (mode 0700, refused if it is a symlink or
  someone else's), and nothing is created in the home folder.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile

__all__ = ["ensure_data_dir", "home_is_writable"]

_DEFAULT = "pythainlp-data"


def home_is_writable(home: str) -> bool:
    """True when a folder can be made in *home* (an empty probe folder is made and removed)."""
    if not home or not os.path.isdir(home):
        return False
    try:
        probe = tempfile.mkdtemp(prefix=".coopanalysis-probe-", dir=home)
    except OSError:
        return False
    try:
        os.rmdir(probe)
    except OSError:
        pass
    return True


def _private_dir() -> str:
    """``<tmp>/coopanalysis-pythainlp-<uid>``: ours (mode 0700, not a link), or a fresh temp folder."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    path = os.path.join(tempfile.gettempdir(), f"coopanalysis-pythainlp-{uid}")
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return tempfile.mkdtemp(prefix="coopanalysis-pythainlp-")
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != uid) or st.st_mode & 0o022:
        return tempfile.mkdtemp(prefix="coopanalysis-pythainlp-")  # not safely ours: a fresh one
    return path


def _variable() -> str:
    """The variable the installed pythainlp reads (``PYTHAINLP_DATA`` since 5.x; older: ``_DIR``)."""
    import importlib.util

    try:  # the top-level spec only: finding a submodule's would import pythainlp itself
        spec = importlib.util.find_spec("pythainlp")
        path = os.path.join(os.path.dirname(spec.origin), "tools", "path.py") if spec and spec.origin else ""
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
    except (ImportError, OSError, ValueError):
        source = ""
    return "PYTHAINLP_DATA" if '"PYTHAINLP_DATA"' in source else "PYTHAINLP_DATA_DIR"


def ensure_data_dir() -> str | None:
    """Point pythainlp at a writable data folder when the home folder cannot hold one.

    Returns the folder set, or ``None`` when nothing needed changing. Call it before the first
    ``import pythainlp`` (pythainlp reads the variable at import); later calls do nothing.
    """
    if os.environ.get("PYTHAINLP_DATA") or os.environ.get("PYTHAINLP_DATA_DIR"):
        return None
    if any(name == "pythainlp" or name.startswith("pythainlp.") for name in sys.modules):
        return None  # too late: pythainlp has read its settings already
    home = os.path.expanduser("~")
    existing = os.path.join(home, _DEFAULT)
    if os.path.isdir(existing) and os.access(existing, os.W_OK | os.X_OK):
        return None
    if home_is_writable(home):
        return None
    path = _private_dir()
    os.environ[_variable()] = path
    return path
