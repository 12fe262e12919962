"""Where the wizard keeps the user's files, and how it writes them safely.

Two places, both platform-conventional (platformdirs) unless `AKS_NAT_WIZARD_HOME` is set, in
which case both are that one directory (tests and sandboxes point it at a temporary folder so
they never touch the real home):

- `config_dir()`: what the user edits or chooses to keep, e.g. `presets_dir()` for saved presets.
- `data_dir()`: what the wizard records, e.g. `runs_dir()` for the apply journals.

The functions read the environment on every call (a test can change it) and create nothing;
`ensure_dir()` creates a directory when something is about to be written there.

`write_atomic()` is how every user file is written: a temporary file in the same directory,
flushed, then `os.replace`d over the target, so a crash or a full disk never leaves half a file.
Journals and presets hold the subscription id and the configuration, so they are written
`private` (0600, in folders made 0700). A temporary file a killed process left behind is removed
the next time its folder is listed (`clean_stale_temp_files`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

import platformdirs

APP_NAME = "aks-nat-wizard"
HOME_ENV = "AKS_NAT_WIZARD_HOME"


def _home_override() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """The user's configuration folder (`$AKS_NAT_WIZARD_HOME` when set)."""
    return _home_override() or Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    """The wizard's data folder for runs and journals (`$AKS_NAT_WIZARD_HOME` when set)."""
    return _home_override() or Path(platformdirs.user_data_dir(APP_NAME))


def presets_dir() -> Path:
    """Where `presets save` writes user presets."""
    return config_dir() / "presets"


def builtin_presets_dir() -> Path:
    """The built-in presets: inside the installed wheel, or the source checkout's `presets/`
    (here, apart from `presets`, so the start screen can list them before the configuration
    model is imported)."""
    package = Path(__file__).resolve().parent.parent  # wizard/
    packaged = package / "_builtin_presets"
    if packaged.is_dir():
        return packaged
    return package.parent / "presets"


def runs_dir() -> Path:
    """Where `apply` keeps one journal per run."""
    return data_dir() / "runs"


def ensure_dir(path: Path) -> Path:
    """Create `path` (and its parents) if missing; return it."""
    path.mkdir(parents=True, exist_ok=True)
    return path


def ensure_private_dir(path: Path) -> Path:
    """`ensure_dir`, made readable by the user only (0700): it holds journals or presets."""
    ensure_dir(path)
    with contextlib.suppress(OSError):
        if path.stat().st_mode & 0o077:
            path.chmod(0o700)
    return path


TEMP_SUFFIX = ".tmp"
STALE_TEMP_SECONDS = 60.0
"""A temporary file older than this is not a write in progress but one a kill interrupted."""


def clean_stale_temp_files(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove the temporary files `write_atomic` left in `folder` when a process was killed
    mid-write (older than `STALE_TEMP_SECONDS`, so a write under way is left alone)."""
    moment = time.time() if now is None else now
    removed: list[Path] = []
    for path in folder.glob(f".*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if moment - path.stat().st_mtime > STALE_TEMP_SECONDS:
                path.unlink()
                removed.append(path)
    return removed


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, text: str, *, executable: bool = False,
                 private: bool = False, create_dirs: bool = True) -> Path:
    """Write `text` to `path` all at once: readers see the old file or the new one, never half.

    The file gets the usual permissions for a new file (0666 minus the umask), 0777 minus the
    umask when `executable` (an exported az script), or 0600 in a 0700 folder when `private`.
    With `create_dirs=False` a missing folder is an error (`FileNotFoundError`) instead of
    being created: a path the user typed with a typo must not grow folders. The temporary file
    is removed on failure.
    """
    path = Path(path)
    if private:
        ensure_private_dir(path.parent)
    elif create_dirs:
        ensure_dir(path.parent)
    elif not path.parent.exists():
        raise FileNotFoundError(f"the folder {path.parent} does not exist")
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX,
                                             dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        mode = 0o600 if private else (0o777 if executable else 0o666) & ~_umask()
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return path
