"""What the browser tests share: Debian's Chromium, axe-core (installed with npm outside the
repository: nothing third-party is committed), a store's app served on a loopback port, and the
serious accessibility findings on a page."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn

if TYPE_CHECKING:
    from playwright.sync_api import Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(os.environ.get("POWCASE_AXE_DIR", Path.home() / ".cache" / "powcase-axe")) / "node_modules" / "axe-core" / "axe.min.js"


def axe_source() -> str | None:
    if not AXE.exists() and shutil.which("npm"):
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(AXE.parents[2]), "axe-core@4"],
                       check=False, capture_output=True, timeout=180)
    return AXE.read_text(encoding="utf-8") if AXE.exists() else None


@contextlib.contextmanager
def served(app: Any) -> Iterator[str]:
    """The app under uvicorn in a thread, on a random loopback port; its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(200):
        if instance.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=10)


def serious_violations(page: Page, axe: str | None) -> list[str]:
    """axe-core's serious and critical findings on the page as it is (none when axe is missing)."""
    if axe is None:
        return []
    page.add_script_tag(content=axe)
    found: list[str] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.help)")
    return found


def logged_in(playwright: Playwright, url: str, name: str, password: str) -> Page:
    """Chromium on the login page of ``url``, signed in as ``name``, on the list of cases. The
    context bypasses the pages' CSP (which forbids any script) so that axe can be added."""
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
    page = browser.new_context(bypass_csp=True).new_page()
    page.goto(url + "/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.keyboard.press("Enter")
    page.wait_for_url(url + "/cases")
    return page
