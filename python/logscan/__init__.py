"""logscan: diagnose MCP / WSL support logs from Python.

Reads the logs of a support bundle (MCP client logs, JSON-RPC traces, dmesg and journal
output, WSL dumps, Windows event logs, ``.zip``/``.tar.gz`` archives of them) and returns the
ranked causes with their evidence, as the ``logscan/report@1`` JSON contract of
``docs/json.md`` -- the same document ``logscan scan --format json`` prints, as a ``dict``.

>>> import logscan
>>> report = logscan.scan("corpus/01-windows-npx-shim-claude-code-debug/bundle")
>>> report["causes"][0]["cause"]
'windows-npx-shim'

Build one :class:`Engine` to scan many bundles: its rules compile once.
"""

from __future__ import annotations

import json
import os
from typing import Iterable, Sequence, Tuple, Union

from . import _logscan
from ._logscan import LogscanError

__all__ = ["Engine", "LogscanError", "rules_test", "scan"]

PathLike = Union[str, "os.PathLike[str]"]
Input = Union[PathLike, bytes, Tuple[str, bytes]]


class Engine:
    """A compiled rule set: the built-in rules (``builtin``) and the rule folders in ``rules``.

    ``tz`` is the zone of timestamps written without one (an IANA name such as
    ``"Europe/Berlin"``, or ``"UTC"``); ``redact`` masks secrets in every text of the report.
    Raises :class:`LogscanError` with the message the CLI prints when a rule does not compile.
    The engine is safe to share between threads; scans release the GIL.
    """

    def __init__(
        self,
        *,
        rules: Sequence[PathLike] = (),
        builtin: bool = True,
        tz: Union[str, None] = None,
        redact: bool = True,
    ) -> None:
        self._engine = _logscan.Engine(
            rules=[os.fspath(r) for r in rules], builtin=builtin, tz=tz, redact=redact
        )

    def scan_path(self, path: Union[PathLike, Sequence[PathLike]]) -> dict:
        """Scans a file or folder (or several, as one bundle); the report as a ``dict``."""
        paths = [path] if isinstance(path, (str, os.PathLike)) else list(path)
        return json.loads(self._engine.scan_paths([os.fspath(p) for p in paths]))

    def scan_bytes(self, name: str, data: bytes) -> dict:
        """Scans ``data`` as a file called ``name`` would be scanned: the name drives format
        detection, and a ``.zip``, ``.tar.gz`` or ``.gz`` is unpacked in memory."""
        return json.loads(self._engine.scan_bytes(name, bytes(data)))

    def rule_ids(self) -> list:
        """The ids of the compiled rules."""
        return self._engine.rule_ids()


def scan(
    paths_or_bytes: Union[Input, Iterable[Input]],
    *,
    rules: Sequence[PathLike] = (),
    builtin: bool = True,
    tz: Union[str, None] = None,
    redact: bool = True,
) -> dict:
    """Scans one bundle and returns its report (``logscan/report@1``) as a ``dict``.

    ``paths_or_bytes`` is a path (file or folder), a list of paths (one bundle), ``bytes``
    (one input named ``input``) or a ``(name, bytes)`` pair. The other arguments are those of
    :class:`Engine`.
    """
    engine = Engine(rules=rules, builtin=builtin, tz=tz, redact=redact)
    if isinstance(paths_or_bytes, (bytes, bytearray, memoryview)):
        return engine.scan_bytes("input", bytes(paths_or_bytes))
    if isinstance(paths_or_bytes, tuple) and len(paths_or_bytes) == 2 and isinstance(
        paths_or_bytes[1], (bytes, bytearray, memoryview)
    ):
        name, data = paths_or_bytes
        return engine.scan_bytes(str(name), bytes(data))
    return engine.scan_path(paths_or_bytes)


def rules_test(dirs: Union[PathLike, Sequence[PathLike]], *, builtin: bool = False) -> dict:
    """Runs the rule tests (``<rule>.test.yaml``) under ``dirs``, as ``logscan rules test
    --format json`` does; the report as a ``dict`` (its ``passed`` says whether all passed)."""
    paths = [dirs] if isinstance(dirs, (str, os.PathLike)) else list(dirs)
    return json.loads(_logscan.rules_test([os.fspath(p) for p in paths], builtin=builtin))
