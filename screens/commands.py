"""The command palette (ctrl+p): jump to a step, load or save a preset, review, change an existing
cluster's outbound type, switch theme."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from screens import preset_store
from wizard.model.steps import STEPS
from wizard.text.safe import safe_text


class WizardCommands(Provider):
    """Commands that make sense on the current screen."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.app
        found: list[tuple[str, str, Callable[[], object]]] = []
        theme = ("Toggle light/dark theme", "Switch between the light and dark theme",
                 app.toggle_theme)  # type: ignore[attr-defined]
        if getattr(app.screen, "running", False):
            # A run is under way: leaving its screen would hide it, not stop it.
            return [theme]
        wizard = app.wizard_screen()  # type: ignore[attr-defined]
        if wizard is not None:
            for step in STEPS:
                found.append((f"Go to step: {step.title}", step.intro,
                              partial(app.go_to_step, step.id)))  # type: ignore[attr-defined]
            found.append(("Review the plan", "The whole plan, findings and exports",
                          app.go_to_review))  # type: ignore[attr-defined]
            found.append(("Save as preset", "Keep this configuration as a preset of your own",
                          app.save_preset))  # type: ignore[attr-defined]
        for choice in preset_store.choices():
            found.append((f"Load preset: {choice.name} ({choice.source})", choice.description,
                          partial(app.start_from_preset,  # type: ignore[attr-defined]
                                  choice.reference)))
        found.append(("Existing cluster: change its outbound type",
                      "Move a cluster's egress from its load balancer to a NAT gateway (or back)",
                      app.open_migrate))  # type: ignore[attr-defined]
        found.append(theme)
        return found

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            # Preset names and descriptions come from files: shown as text, never as markup.
            yield DiscoveryHit(Text(safe_text(title)), callback,
                               help=escape(safe_text(help_text)))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(escape(safe_text(title))), callback,
                          help=escape(safe_text(help_text)))
