# Type stubs of the Rust extension module (python/src/lib.rs). Each command returns
# (JSON, Markdown, HTML, exit status of the CLI).
from typing import Optional, Protocol

__version__: str

Rendered = tuple[str, str, str, int]

class _RunSettings(Protocol):
    starts: Optional[int]
    iterations: Optional[int]
    seed: Optional[int]
    a0: Optional[float]
    power: Optional[float]
    precision: Optional[int]
    shard: Optional[tuple[int, int]]
    plots: Optional[str]

def report(
    name: str, source: str, max_boxes: Optional[int] = None, cover_boxes: Optional[int] = None
) -> Rendered: ...
def check_identity(
    f: str, phi: str, variables: list[str], radius: str, max_boxes: Optional[int] = None
) -> Rendered: ...
def discover(
    name: str,
    source: str,
    degree: int = 3,
    laurent: bool = False,
    exp: bool = False,
    check: bool = False,
    seed: int = 1,
) -> Rendered: ...
def run(name: str, source: str, settings: _RunSettings) -> Rendered: ...
def load_case(path: str) -> tuple[str, str]: ...
def case_from_spec(name: str, spec_json: str) -> tuple[str, str]: ...
def case_summary(name: str, source: str) -> str: ...
