"""A small Language Server Protocol client over stdio: JSON-RPC with Content-Length frames.

Just what the editor tests need: start a server, initialise it as an editor would (no schema
store, so nothing is fetched), open a document, collect its diagnostics, ask for a hover.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import IO, Any

SETTINGS: dict[str, Any] = {
    "yaml": {
        "validate": True,
        "hover": True,
        "completion": True,
        "format": {"enable": False},
        "schemaStore": {"enable": False},  # the tests run offline
        "schemas": {},
    }
}


class Client:
    def __init__(
        self,
        command: list[str],
        root: Path,
        timeout: float = 60,
        schemas: dict[str, list[str]] | None = None,
    ) -> None:
        """``schemas``: the ``yaml.schemas`` setting, as VS Code passes it from settings.json."""
        self.timeout = timeout
        self.settings = {"yaml": {**SETTINGS["yaml"], "schemas": schemas or {}}}
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._next = 0
        self._versions: dict[str, int] = {}
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        assert self.process.stdout is not None and self.process.stderr is not None
        self._threads = [
            threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True),
            threading.Thread(target=self.process.stderr.read, daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                "capabilities": {
                    "workspace": {"configuration": True},
                    "textDocument": {
                        "hover": {"contentFormat": ["markdown", "plaintext"]},
                        "publishDiagnostics": {},
                    },
                },
                "initializationOptions": {},
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    # -- the wire ---------------------------------------------------------------------------

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self._messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            self._messages.put(json.loads(stream.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _next_message(self, deadline: float) -> dict[str, Any]:
        try:
            message = self._messages.get(timeout=max(0.05, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError("the language server did not answer in time") from None
        if message is None:
            raise RuntimeError(f"the language server ended (exit {self.process.poll()})")
        if "method" in message and "id" in message:  # a request from the server
            result: Any = None
            if message["method"] == "workspace/configuration":
                items = message["params"]["items"]
                result = [
                    self.settings.get(i.get("section", ""), self.settings["yaml"]) for i in items
                ]
            self._send({"id": message["id"], "result": result})
        elif message.get("method") == "textDocument/publishDiagnostics":
            params = message["params"]
            self.diagnostics[params["uri"]] = params["diagnostics"]
        return message

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self._next += 1
        number = self._next
        self._send({"id": number, "method": method, "params": params})
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._next_message(deadline)
            if message.get("id") == number and "method" not in message:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message.get("result")

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    # -- what an editor does ----------------------------------------------------------------

    def open(self, path: Path, text: str) -> list[dict[str, Any]]:
        """Open (or change) the document at ``path`` and return the diagnostics it gets."""
        uri = path.as_uri()
        self.diagnostics.pop(uri, None)
        version = self._versions.get(uri, 0) + 1
        self._versions[uri] = version
        if version == 1:
            self.notify(
                "textDocument/didOpen",
                {
                    "textDocument": {
                        "uri": uri,
                        "languageId": "yaml",
                        "version": version,
                        "text": text,
                    }
                },
            )
        else:
            self.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": text}],
                },
            )
        deadline = time.monotonic() + self.timeout
        while uri not in self.diagnostics:
            self._next_message(deadline)
        return self.diagnostics[uri]

    def hover(self, path: Path, line: int, character: int) -> str:
        """The hover text at 0-based ``line`` and ``character``, or "" when there is none."""
        result = self.request(
            "textDocument/hover",
            {
                "textDocument": {"uri": path.as_uri()},
                "position": {"line": line, "character": character},
            },
        )
        if not result:
            return ""
        contents = result["contents"]
        return str(contents["value"] if isinstance(contents, dict) else contents)

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=10)
        except (TimeoutError, RuntimeError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        for thread in self._threads:
            thread.join(timeout=10)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
