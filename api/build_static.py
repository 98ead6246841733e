"""Copy the browser libraries of the graph page from node_modules into api/static/vendor/.

The page is served offline (no CDN), so the few dist files it needs are bundled into the
package at build time. Run from anywhere:

    python api/build_static.py          # runs `npm ci` first when node_modules is missing
    python api/build_static.py --check  # exit 1 if vendor/ is missing or stale, copy nothing

The script is idempotent: a file is rewritten only when its content changed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
VENDOR = Path(__file__).resolve().parent / "static" / "vendor"

# (package, file inside the package, name in vendor/). The ES-module builds import nothing,
# so the page loads them with plain <script type="module"> and no bundler. They are saved
# as .js because not every system's mime table maps .mjs to JavaScript, and browsers refuse
# module scripts served with another type.
FILES: list[tuple[str, str, str]] = [
    ("cytoscape", "dist/cytoscape.esm.min.mjs", "cytoscape.esm.min.js"),
    ("cytoscape", "LICENSE", "LICENSE.cytoscape.txt"),
    # cytoscape-dagre 4 embeds the dagre layout engine (@dagrejs/dagre, MIT)
    ("cytoscape-dagre", "dist/cytoscape-dagre.min.mjs", "cytoscape-dagre.esm.min.js"),
    ("cytoscape-dagre", "LICENSE", "LICENSE.cytoscape-dagre.txt"),
    # fCoSE (the explore view's layout) and the two packages it builds on: UMD builds, loaded
    # as classic scripts in this order (each sets a global the next one reads)
    ("layout-base", "layout-base.js", "layout-base.js"),
    ("layout-base", "LICENSE", "LICENSE.layout-base.txt"),
    ("cose-base", "cose-base.js", "cose-base.js"),
    ("cose-base", "LICENSE", "LICENSE.cose-base.txt"),
    ("cytoscape-fcose", "cytoscape-fcose.js", "cytoscape-fcose.js"),
    ("cytoscape-fcose", "LICENSE", "LICENSE.cytoscape-fcose.txt"),
]
# Needed by the tests only, not shipped: axe-core, the accessibility checker the browser test
# injects into the page (devDependencies of package.json).
DEV_FILES: list[tuple[str, str]] = [("axe-core", "axe.min.js")]
AXE = NODE_MODULES / "axe-core" / "axe.min.js"


def ensure_node_modules() -> None:
    """Install the pinned packages (package-lock.json) when they are not there yet."""
    needed = [(pkg, path) for pkg, path, _ in FILES] + DEV_FILES
    if all((NODE_MODULES / pkg / path).is_file() for pkg, path in needed):
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("build_static: node_modules is missing and npm is not installed (apt-get install npm)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)


def vendored_bytes(src: Path) -> bytes:
    """The file as served: without the sourceMappingURL comment, whose .map is not shipped
    (a dangling one makes browser devtools log a 404)."""
    data = src.read_bytes()
    if src.suffix not in {".mjs", ".js"}:
        return data
    lines = data.split(b"\n")
    kept = [line for line in lines if not line.startswith(b"//# sourceMappingURL=")]
    return b"\n".join(kept)


def plan() -> list[tuple[Path, bytes]]:
    return [(VENDOR / name, vendored_bytes(NODE_MODULES / pkg / path)) for pkg, path, name in FILES]


def build() -> list[Path]:
    """Write every vendor file whose content differs; answer the paths written."""
    ensure_node_modules()
    VENDOR.mkdir(parents=True, exist_ok=True)
    written = []
    for dest, data in plan():
        if dest.is_file() and dest.read_bytes() == data:
            continue
        dest.write_bytes(data)
        written.append(dest)
    return written


def is_current() -> bool:
    """True when vendor/ holds exactly what a build would write."""
    try:
        return all(dest.is_file() and dest.read_bytes() == data for dest, data in plan())
    except FileNotFoundError:  # node_modules missing: cannot tell, so not current
        return all((VENDOR / name).is_file() for _, _, name in FILES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether vendor/ is up to date")
    args = parser.parse_args(argv)
    if args.check:
        ok = is_current()
        print("api/static/vendor is " + ("up to date" if ok else "stale: run python api/build_static.py"))
        return 0 if ok else 1
    written = build()
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"api/static/vendor: {len(FILES)} files, {len(written)} updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
