"""make install (issue 11): the binary and campaignd(8) under DESTDIR and
PREFIX; the installed binary runs; the manual page is clean under
`mandoc -T lint`, renders with `man -l`, and names every command and every
option that the commands' --help texts name."""
import os
import re
import stat
import subprocess
from pathlib import Path

from conftest import BIN

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ["serve", "app", "token", "client", "import", "export", "campaign", "registry", "openapi"]


def test_install_puts_the_binary_and_its_manual_under_destdir(tmp_path):
    dest = tmp_path / "root"
    r = subprocess.run(["make", "-C", str(REPO), "--no-print-directory", "install",
                        f"DESTDIR={dest}", "PREFIX=/usr", f"INSTALL_BIN={BIN}"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    binary = dest / "usr/bin/campaignd"
    page = dest / "usr/share/man/man8/campaignd.8"
    assert stat.S_IMODE(binary.stat().st_mode) == 0o755
    assert stat.S_IMODE(page.stat().st_mode) == 0o644
    v = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30)
    assert v.returncode == 0 and v.stdout.startswith("campaignd "), v.stdout + v.stderr
    lint = subprocess.run(["mandoc", "-T", "lint", "-W", "style", str(page)],
                          capture_output=True, text=True, timeout=30)
    problems = [l for l in (lint.stdout + lint.stderr).splitlines() if "mandoc.db" not in l]
    assert problems == [], problems
    shown = subprocess.run(["man", "-l", str(page)], capture_output=True, text=True, timeout=30,
                           env={**os.environ, "MANWIDTH": "100", "MAN_KEEP_FORMATTING": ""})
    assert shown.returncode == 0, shown.stderr
    text = re.sub(r".\x08", "", shown.stdout)
    assert "CAMPAIGND(8)" in text
    flags = set()
    for c in COMMANDS:
        h = subprocess.run([BIN, c, "--help"], capture_output=True, text=True, timeout=30)
        flags |= set(re.findall(r"--[a-z][a-z-]*", h.stdout + h.stderr))
        assert re.search(rf"\bcampaignd {c}\b", text), c
    flags |= {"--clock-start", "--clock-rate", "--version"}
    assert len(flags) > 50, flags
    missing = sorted(f for f in flags if not re.search(re.escape(f) + r"\b", text))
    assert missing == [], missing
