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
"""

from __future__ import annotations

import contextlib
import os
import tempfile
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


def runs_dir() -> Path:
    """Where `apply` keeps one journal per run."""
    return data_dir() / "runs"


def ensure_dir(path: Path) -> Path:
    """Create `path` (and its parents) if missing; return it."""
    path.mkdir(parents=True, exist_ok=True)
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, text: str, *, executable: bool = False) -> Path:
    """Write `text` to `path` all at once: readers see the old file or the new one, never half.

    The file gets the usual permissions for a new file (0666 minus the umask), or 0777 minus the
    umask when `executable` (an exported az script). The temporary file is removed on failure.
    """
    path = Path(path)
    ensure_dir(path.parent)
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, (0o777 if executable else 0o666) & ~_umask())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return path
