"""Static files: addresses with the file's version, cached for a year only under the current version."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from portal.static_files import ONE_YEAR, StaticVersions

STATIC = Path(__file__).resolve().parents[2] / "static"


def sha12(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_pages_link_the_current_version_of_each_file(client):
    html = client.get("/en/").get_data(as_text=True)
    for name in ("css/main.css", "css/print.css", "js/polku.js"):
        found = re.search(rf'/static/{re.escape(name)}\?v=([0-9a-f]+)"', html)
        assert found, name
        assert found.group(1) == sha12(STATIC / name)


def test_the_current_version_is_cached_for_a_year_and_any_other_address_is_revalidated(client):
    current = client.get(f"/static/css/main.css?v={sha12(STATIC / 'css/main.css')}")
    assert current.status_code == 200
    assert f"max-age={ONE_YEAR}" in current.headers["Cache-Control"]
    assert "public" in current.headers["Cache-Control"]
    for address in ("/static/css/main.css", "/static/css/main.css?v=000000000000"):
        response = client.get(address)
        assert response.status_code == 200
        assert f"max-age={ONE_YEAR}" not in response.headers.get("Cache-Control", ""), address
        assert "no-cache" in response.headers["Cache-Control"], address


def test_a_changed_file_gets_a_new_version_and_nothing_outside_the_folder_has_one(tmp_path):
    (tmp_path / "a.css").write_text("a { color: black }", encoding="utf-8")
    versions = StaticVersions(str(tmp_path))
    first = versions.version("a.css")
    assert first == hashlib.sha256(b"a { color: black }").hexdigest()[:12]
    (tmp_path / "a.css").write_text("a { color: navy }", encoding="utf-8")
    os.utime(tmp_path / "a.css", (1, 1))  # a different modification time, as an edit gives
    assert versions.version("a.css") == hashlib.sha256(b"a { color: navy }").hexdigest()[:12] != first
    assert versions.version("../a.css") is None
    assert versions.version("missing.css") is None
