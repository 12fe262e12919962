"""Write docs/review.svg, the README's screenshot, with the app itself (not a test).

    uv run python tests/screens/make_screenshots.py

The review screen of the user-assigned preset on the sandbox, 100x32, dark theme; the home and
the sandbox state are temporary, so the image shows no personal paths.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


async def review_screenshot(target: Path) -> None:
    from screens.app import create_app
    from screens.review import ReviewScreen

    app = create_app(sandbox=True, sandbox_state="sandbox.json", clock=lambda: 0.0)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        app.start_from_preset("user-assigned")
        await pilot.pause()
        app.go_to_review()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen), app.screen
        app.clear_notifications()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        app.save_screenshot(filename=target.name, path=str(target.parent))


def main() -> None:
    target = ROOT / "docs" / "review.svg"
    target.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        os.environ["AKS_NAT_WIZARD_HOME"] = home
        os.chdir(home)
        asyncio.run(review_screenshot(target))
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
