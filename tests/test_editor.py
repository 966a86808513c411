"""What a contributor sees in VS Code: yaml-language-server (the engine of Red Hat's YAML extension),
driven over the Language Server Protocol on a data file whose first line points at the schema.

Runs once ``yaml-language-server`` is a devDependency of package.json (installed by ``npm ci``).
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .conftest import ROOT, node_module

DECLARED = "yaml-language-server" in json.loads((ROOT / "package.json").read_text(encoding="utf-8")).get(
    "devDependencies", {}
)
pytestmark = pytest.mark.skipif(not DECLARED, reason="yaml-language-server n'est pas dans package.json (devDependencies)")

SETTINGS = {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}


class Server:
    """A minimal LSP client: enough to open a document, read diagnostics and ask for completions."""

    def __init__(self) -> None:
        binary = node_module("yaml-language-server", "bin", "yaml-language-server")
        self.process = subprocess.Popen(["node", str(binary), "--stdio"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": None, "rootUri": ROOT.as_uri(),
                                    "capabilities": {"workspace": {"configuration": True}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": SETTINGS}})

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            headers: dict[str, str] = {}
            while (line := stream.readline().decode().strip()):
                key, value = line.split(":", 1)
                headers[key.lower()] = value.strip()
            if not headers:
                return
            self.messages.put(json.loads(stream.read(int(headers["content-length"]))))

    def _send(self, message: dict[str, Any]) -> None:
        data = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.ids = getattr(self, "ids", 0) + 1
        number = self.ids
        self._send({"id": number, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == number and "method" not in m).get("result")

    def wait(self, wanted: Callable[[dict[str, Any]], bool], timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self.messages.get(timeout=0.2)
            except queue.Empty:
                continue
            if message.get("method") == "workspace/configuration":  # the server asks for its settings
                self._send({"id": message["id"], "result": [SETTINGS] * len(message["params"]["items"])})
            elif "id" in message and "method" in message:
                self._send({"id": message["id"], "result": None})
            elif wanted(message):
                return message
        raise AssertionError("yaml-language-server n'a pas répondu")

    def open(self, relative: str, text: str) -> str:
        uri = (ROOT / relative).as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        return uri

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.close()


SOMME = "data/departements/80-somme.yaml"
STRUCTURE = ("structures:\n  - id: exemple\n    nom: Exemple\n    type: pcpe\n    code_postal: 01000\n"
             "    horaires_accueil: du lundi au vendredi de 9h à 17h\n    verifie_le: 2025-13-01\n"
             "    contacts:\n      - libelle: Accueil\n        telephone: \"03 53 01 45\"\n"
             "    public:\n      situations: [autisme]\n    \n")


def somme_with_structure() -> str:
    """The real Somme file's head (schema line, code, nom) followed by a new structure with mistakes."""
    head = []
    for line in (ROOT / SOMME).read_text(encoding="utf-8").splitlines(keepends=True):
        head.append(line)
        if line.startswith("nom:"):
            break
    return "".join(head) + STRUCTURE


def labels(result: Any) -> list[str]:
    items = result["items"] if isinstance(result, dict) else result
    return [item["label"] for item in items]


def test_editor_flags_mistakes_on_their_line(server: Server) -> None:
    text = somme_with_structure()
    uri = server.open(SOMME, text)
    message = server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"]["uri"] == uri and m["params"]["diagnostics"])
    found = {(d["range"]["start"]["line"] + 1, d["message"]) for d in message["params"]["diagnostics"]}
    lines = text.splitlines()

    def said(line: str) -> str:
        return " | ".join(m for n, m in found if n == lines.index(line) + 1)

    # French advice, never a pattern nor « RFC3339 » (errorMessage in the schema)
    assert said("    code_postal: 01000") == "code postal : cinq chiffres entre guillemets, par exemple \"01000\""
    assert said("    horaires_accueil: du lundi au vendredi de 9h à 17h").startswith(
        "horaires dans la syntaxe OpenStreetMap : \"Mo-Fr 09:00-12:00,14:00-17:00; PH off\"")
    assert said("    verifie_le: 2025-13-01") == "date au format année-mois-jour, par exemple 2025-03-14"
    assert said('        telephone: "03 53 01 45"').startswith("numéro de téléphone entre guillemets : 10 chiffres")
    assert not [m for _, m in found if "RFC3339" in m or "pattern" in m or "^" in m]
    assert any(line == lines.index("      situations: [autisme]") + 1 for line, _ in found)
    assert any("sources" in m for _, m in found)  # required field missing


def test_editor_completes_keys_and_values_with_french_help(server: Server) -> None:
    text = somme_with_structure()
    uri = server.open(SOMME, text)
    lines = text.splitlines()
    keys = labels(server.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                             "position": {"line": len(lines) - 1, "character": 4}}))
    assert {"sigle", "sources", "site_web", "adresse", "description"} <= set(keys)
    result = server.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                        "position": {"line": lines.index("    type: pcpe"), "character": 10}})
    items = result["items"] if isinstance(result, dict) else result
    help_ = {item["label"]: json.dumps(item.get("documentation", ""), ensure_ascii=False) for item in items}
    assert "pcpe" in help_ and "Pôle de compétences et de prestations externalisées" in help_["pcpe"]
