"""Tests of the logscan Python package: every function, bad input, and the report equal to the
CLI's JSON for every corpus bundle. Run from the repository root or anywhere: paths are taken
from this file's place in the checkout."""

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

import logscan

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
BUNDLES = sorted(p / "bundle" for p in CORPUS.iterdir() if (p / "bundle").is_dir())


def cli() -> Path:
    """The `logscan` binary the CLI comparison runs (LOGSCAN_BIN, else target/debug)."""
    binary = Path(os.environ.get("LOGSCAN_BIN", ROOT / "target" / "debug" / "logscan"))
    if not binary.is_file():
        subprocess.run(["cargo", "build", "--quiet", "--locked"], cwd=ROOT, check=True)
    return binary


def without_timing(report: dict) -> dict:
    report = json.loads(json.dumps(report))
    report["stats"].pop("elapsed_ms", None)
    return report


def test_the_corpus_is_there():
    assert len(BUNDLES) >= 30


def test_scan_a_folder_names_its_cause():
    report = logscan.scan(str(CORPUS / "01-windows-npx-shim-claude-code-debug" / "bundle"))
    assert report["schema"] == "logscan/report@1"
    assert report["causes"][0]["cause"] == "windows-npx-shim"
    assert report["causes"][0]["verdict"] == "likely"


def test_scan_takes_a_pathlike_and_a_list_as_one_bundle():
    bundle = CORPUS / "23-config-scope" / "bundle"
    files = sorted(p for p in bundle.rglob("*") if p.is_file())
    one = logscan.scan(bundle)
    many = logscan.scan(files)
    assert [c["cause"] for c in one["causes"]] == [c["cause"] for c in many["causes"]]


def test_engine_scan_bytes_of_an_archive_in_memory():
    archive = CORPUS / "18-wsl-nat-loopback-zip" / "bundle" / "bundle.zip"
    engine = logscan.Engine()
    from_bytes = engine.scan_bytes("bundle.zip", archive.read_bytes())
    from_path = engine.scan_path(archive)
    assert from_bytes["causes"][0]["cause"] == "wsl-nat-loopback"
    assert [c["cause"] for c in from_bytes["causes"]] == [c["cause"] for c in from_path["causes"]]


def test_scan_of_a_name_and_bytes_pair():
    log = (CORPUS / "01-windows-npx-shim-claude-code-debug" / "bundle" / "claude-debug.txt").read_bytes()
    report = logscan.scan(("claude-debug.txt", log))
    assert report["causes"][0]["cause"] == "windows-npx-shim"


def test_bytes_that_are_not_text_are_an_error_input_not_an_exception():
    report = logscan.scan(b"\x00\x01\x02\xff" * 100)
    assert report["causes"] == []
    assert report["inputs"][0]["format"] == "error"
    assert "binary" in report["inputs"][0]["notes"][0]


def test_a_corrupt_zip_is_named_and_the_scan_goes_on():
    log = (CORPUS / "01-windows-npx-shim-claude-code-debug" / "bundle" / "claude-debug.txt").read_bytes()
    engine = logscan.Engine()
    broken = engine.scan_bytes("broken.zip", b"PK\x03\x04garbage" * 10)
    assert broken["inputs"][0]["format"] == "error"
    assert "corrupt zip" in broken["inputs"][0]["notes"][0]
    assert engine.scan_bytes("claude-debug.txt", log)["causes"][0]["cause"] == "windows-npx-shim"


def test_a_bad_rule_file_raises_with_the_cli_message(tmp_path):
    (tmp_path / "broken.yaml").write_text("id: x.y\ncause: x\nsteps: [\n")
    with pytest.raises(logscan.LogscanError) as raised:
        logscan.Engine(rules=[tmp_path], builtin=False)
    message = str(raised.value)
    assert message.startswith("error:")
    assert "broken.yaml" in message


def test_an_unknown_time_zone_raises():
    with pytest.raises(logscan.LogscanError):
        logscan.Engine(tz="Nowhere/Atlantis")


def test_rules_and_builtin_choose_the_rules():
    assert len(logscan.Engine().rule_ids()) >= 40
    only_dir = logscan.Engine(rules=[ROOT / "rules" / "wsl"], builtin=False).rule_ids()
    assert only_dir and all(rule.split(".")[0].startswith(("wsl", "oom", "host", "autoreconnect", "config", "two")) for rule in only_dir)


def test_redact_masks_secrets_unless_turned_off():
    text = b'2025-09-03T07:58:41.305Z [ERROR] MCP server "docs" Connection failed: spawn npx ENOENT token=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n'
    redacted = json.dumps(logscan.scan(("claude-debug.txt", text)))
    plain = json.dumps(logscan.scan(("claude-debug.txt", text), redact=False))
    assert "ghp_abcdefghijklmnopqrstuvwxyz0123456789" not in redacted
    assert "ghp_abcdefghijklmnopqrstuvwxyz0123456789" in plain


def test_rules_test_runs_the_built_in_pack():
    report = logscan.rules_test(ROOT / "rules")
    assert report["passed"] is True
    assert report["summary"]["passed"] >= 250


def test_one_engine_scans_from_many_threads():
    engine = logscan.Engine()
    results = []

    def work(bundle):
        results.append(engine.scan_path(bundle)["causes"][:1])

    threads = [threading.Thread(target=work, args=(b,)) for b in BUNDLES[:8]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8


@pytest.mark.parametrize("bundle", BUNDLES, ids=[b.parent.name for b in BUNDLES])
def test_the_python_report_equals_the_cli_json(bundle):
    relative = bundle.relative_to(ROOT)
    out = subprocess.run(
        [str(cli()), "scan", "--format", "json", str(relative)],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr.decode()
    expected = json.loads(out.stdout)
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        actual = logscan.scan(str(relative))
    finally:
        os.chdir(cwd)
    assert without_timing(actual) == without_timing(expected)
