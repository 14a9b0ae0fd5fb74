"""Check a built documentation site: every "[docs]" back-link of the source pages (viewcode)
points to an anchor that exists. Sphinx does not warn about these: an object documented under
two module names gets a back-link to a page that does not define it.

Usage: ``python docs/check_backlinks.py docs/_build/html`` (exit 1 and one line per broken link).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def broken_backlinks(site: Path) -> list[str]:
    ids: dict[Path, set[str]] = {}
    bad = []
    for page in sorted(site.glob("_modules/**/*.html")):
        for href in re.findall(r'<a class="viewcode-back" href="([^"]+)"', page.read_text()):
            target, _, anchor = href.partition("#")
            path = (page.parent / target).resolve()
            if path not in ids:
                text = path.read_text() if path.exists() else ""
                ids[path] = set(re.findall(r'id="([^"]+)"', text))
            if anchor not in ids[path]:
                bad.append(f"{page.relative_to(site)}: [docs] -> {href}")
    return bad


if __name__ == "__main__":
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/_build/html")
    problems = broken_backlinks(site)
    for line in problems:
        print(line)
    sys.exit(1 if problems else 0)
