"""The alert page's evidence: every file checked against its hash, and its link in the hash chain."""

from __future__ import annotations

import hashlib
import io

from PIL import Image

from ipwatch.core.clock import utcnow
from ipwatch.core.storage.models import AlertRow, EvidenceRow
from ipwatch.evidence import chain


def _evidence(scene, name: str, kind: str, data: bytes) -> int:
    folder = scene.settings.evidence_dir / "demo" / "p2"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    relative = f"demo/p2/{name}"
    digest = hashlib.sha256(data).hexdigest()
    [entry] = chain.append(scene.settings.evidence_dir, [{"path": relative, "sha256": digest, "size": len(data)}])
    with scene.database.session() as session:
        alert = session.get(AlertRow, scene.ids["dashed"])
        row = EvidenceRow(listing_id=alert.listing_id, alert_id=alert.id, kind=kind, path=relative, sha256=digest,
                          size=len(data), created_at=utcnow(), chain_hash=entry["hash"])
        session.add(row)
        session.flush()
        return row.id


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_verified_files_are_served_and_their_chain_links_shown(scene, client):
    shot = _evidence(scene, "page.png", "screenshot", _png())
    warc = _evidence(scene, "page.warc.gz", "warc", b"WARC/1.1\r\n...")
    officer = client("officer")
    page = officer.get(f"/alerts/{scene.ids['dashed']}").text
    assert page.count(">verified<") == 2
    assert "entry 1 of the chain, every link before it holds" in page
    assert "entry 2 of the chain" in page
    screenshot = officer.get(f"/evidence/{shot}")
    assert screenshot.headers["content-type"] == "image/png" and screenshot.headers["x-evidence-status"] == "verified"
    download = officer.get(f"/evidence/{warc}")
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.content == b"WARC/1.1\r\n..."
    assert client("herb").get(f"/evidence/{warc}").status_code == 404


def test_a_changed_file_or_a_rewritten_chain_is_flagged(scene, client):
    _evidence(scene, "page.html", "html", b"<html>first capture</html>")
    _evidence(scene, "page.png", "screenshot", _png())
    (scene.settings.evidence_dir / "demo/p2/page.html").write_bytes(b"<html>edited later</html>")
    chain_file = scene.settings.evidence_dir / chain.CHAIN_FILE
    lines = chain_file.read_text().splitlines()
    chain_file.write_text(lines[0].replace('"size":26', '"size":27') + "\n" + lines[1] + "\n")
    page = client("officer").get(f"/alerts/{scene.ids['dashed']}").text
    assert ">altered<" in page and ">verified<" in page
    assert page.count("the chain breaks at line 1") == 2
