"""Saving a text the app made (an az script, an ARM template) to a file the user names."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from screens.modals import AskModal
from wizard.storage.paths import write_atomic


def ask_and_save(app: App[object], title: str, what: str, text: str, default: str, *,
                 executable: bool = False) -> None:
    """Ask for a path (prefilled with `default`), write `text` there all at once, and say where
    it went or why it could not be written; cancelling writes nothing."""

    def save(answer: list[str] | None) -> None:
        if not answer:
            return
        path = Path(answer[0]).expanduser()
        try:
            written = write_atomic(path, text, executable=executable)
        except OSError as error:
            app.notify(f"Could not write {path}: {error.strerror or error}", severity="error")
            return
        app.notify(f"Saved the {what} to {written}.")

    app.push_screen(AskModal(title, [("File path", default)], "Save"), save)
