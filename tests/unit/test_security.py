"""Security defaults: loopback-only servers, no credentials in the repository."""

import re
import subprocess

from orchestration.cli import parser
from warehouse import config


def test_servers_bind_loopback_by_default():
    assert parser().parse_args(["serve"]).host == "127.0.0.1"
    makefile = (config.PROJECT_ROOT / "Makefile").read_text()
    assert "0.0.0.0" not in makefile


SECRET = re.compile(
    r"(-----BEGIN [A-Z ]*PRIVATE KEY-----|AKIA[0-9A-Z]{16}|(?i:password|secret|token)\s*[:=]\s*['\"][^'\"]{8,})"
)


def test_no_credentials_in_tracked_files():
    files = subprocess.run(
        ["git", "ls-files"], cwd=config.PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert files, "not a git checkout"
    hits = []
    for name in files:
        path = config.PROJECT_ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        text = path.read_text(errors="ignore")
        hits += [f"{name}: {m.group(0)[:40]}" for m in SECRET.finditer(text)]
    assert hits == []
