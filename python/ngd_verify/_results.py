"""Typed, read-only views of the JSON that ngd-verify writes.

Every result holds the parsed JSON of ``--format json`` and nothing else: ``result.key`` is
``result["key"]``, nested objects are :class:`Node` views and lists are tuples, so every
field of ``docs/report.md`` is reachable under its JSON name. The classes add the names used
in the paper and in notebooks on top: ``report.c1`` .. ``report.c6``, ``report.flat_points``,
``report.verdict.exit_status``, and ``proved`` / ``refuted`` / ``inconclusive`` on each check.
Refutations and inconclusive results are values like any other; only bad input raises.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from typing import Any, Optional, TypeVar


def _view(value: Any) -> Any:
    if isinstance(value, dict):
        return Node(value)
    if isinstance(value, list):
        return tuple(_view(v) for v in value)
    return value


class Node(Mapping[str, Any]):
    """A read-only view of one JSON object: ``node.key`` and ``node["key"]`` are its field
    ``key`` (an object as a :class:`Node`, a list as a tuple). Fields whose names are also
    methods of a mapping (``items``, ``keys``, ``values``, ``get``) are read with ``[]``."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]) -> None:
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name: str) -> Any:
        data = object.__getattribute__(self, "_data")
        try:
            return _view(data[name])
        except KeyError:
            fields = ", ".join(data) or "none"
            raise AttributeError(
                f"{type(self).__name__} has no field {name!r} (fields: {fields})"
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __getitem__(self, key: str) -> Any:
        return _view(self._data[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._data))

    def to_dict(self) -> dict[str, Any]:
        """A deep copy of the JSON object as plain dicts and lists."""
        return copy.deepcopy(self._data)

    def __repr__(self) -> str:
        shown = []
        for key, value in self._data.items():
            if isinstance(value, (dict, list)):
                shown.append(f"{key}=...")
            else:
                shown.append(f"{key}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"


# The evidence labels of the JSON (`ngd_certify::Evidence`, snake case).
PROVED = "proved"
REFUTED = "refuted"
NUMERICAL_EVIDENCE = "numerical_evidence"
INCONCLUSIVE = "inconclusive"


class Check(Node):
    """One check of the report (C1 .. C6): its JSON object plus its ``evidence`` as flags."""

    __slots__ = ()

    @property
    def proved(self) -> bool:
        """Established by exact rational or outward-rounded interval arithmetic."""
        return bool(self._data.get("evidence") == PROVED)

    @property
    def refuted(self) -> bool:
        """Contradicted by a witness that can be re-checked exactly."""
        return bool(self._data.get("evidence") == REFUTED)

    @property
    def numerical(self) -> bool:
        """Supported by floating-point computation only."""
        return bool(self._data.get("evidence") == NUMERICAL_EVIDENCE)

    @property
    def inconclusive(self) -> bool:
        """Neither proved nor refuted within the limits (the reason is in the JSON)."""
        return bool(self._data.get("evidence") == INCONCLUSIVE)


class Verdict(Node):
    """The verdict table: the paper's conclusions, their hypotheses and the exit status."""

    __slots__ = ()

    @property
    def exit_status(self) -> int:
        """The exit status of the CLI: 0 holds, 1 refuted or a claim failed, 3 inconclusive."""
        return int(self._data["exit_code"])


_R = TypeVar("_R", bound="_Rendered")


class _Rendered(Node):
    """A result with the JSON text and the Markdown and HTML renderings of the same data."""

    __slots__ = ("_json", "_markdown", "_html", "_exit_status")
    _json: Optional[str]
    _markdown: Optional[str]
    _html: Optional[str]
    _exit_status: int

    def __init__(
        self,
        data: dict[str, Any],
        json_text: Optional[str] = None,
        markdown: Optional[str] = None,
        html: Optional[str] = None,
        exit_status: int = 0,
    ) -> None:
        super().__init__(data)
        object.__setattr__(self, "_json", json_text)
        object.__setattr__(self, "_markdown", markdown)
        object.__setattr__(self, "_html", html)
        object.__setattr__(self, "_exit_status", exit_status)

    @classmethod
    def _from_native(cls: type[_R], rendered: tuple[str, str, str, int]) -> _R:
        json_text, markdown, html, status = rendered
        return cls(json.loads(json_text), json_text, markdown, html, status)

    @classmethod
    def from_json(cls: type[_R], text: str) -> _R:
        """The result of a JSON text written by ``to_json()`` or by the CLI's
        ``--format json`` (without the Markdown and HTML renderings)."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError(f"not a JSON object of ngd-verify: {type(data).__name__}")
        return cls(data, text, None, None, cls._status_of(data))

    @staticmethod
    def _status_of(data: dict[str, Any]) -> int:
        return 0

    @property
    def exit_status(self) -> int:
        """The exit status the CLI gives for this result."""
        return int(self._exit_status)

    def to_json(self) -> str:
        """The JSON text, byte for byte what the CLI writes with ``--format json``."""
        if self._json is not None:
            return str(self._json)
        return json.dumps(self._data, indent=2, ensure_ascii=False) + "\n"

    def to_markdown(self) -> Optional[str]:
        """The Markdown rendering (``--format markdown``); ``None`` after ``from_json``."""
        return self._markdown

    def to_html(self) -> Optional[str]:
        """The self-contained HTML page (``--format html``); ``None`` after ``from_json``."""
        return self._html

    def _repr_markdown_(self) -> Optional[str]:
        return self._markdown

    def _repr_html_(self) -> Optional[str]:
        return self._html


class Report(_Rendered):
    """The certificate report of a case (``ngd-verify CASE``) or of ``check-identity``."""

    __slots__ = ()

    @staticmethod
    def _status_of(data: dict[str, Any]) -> int:
        return int(data.get("verdict", {}).get("exit_code", 0))

    def _check(self, *path: str) -> Optional[Check]:
        value: Any = self._data
        for key in path:
            if not isinstance(value, dict) or value.get(key) is None:
                return None
            value = value[key]
        return Check(value)

    @property
    def c1(self) -> Optional[Check]:
        """C1: ``phi`` conserved by the gradient flow (``conservation``); ``None`` without phi."""
        return self._check("conservation")

    @property
    def c2(self) -> Optional[Check]:
        """C2: the minimum set ``M`` (``minima.minimum_set``)."""
        return self._check("minima", "minimum_set")

    @property
    def c3(self) -> Optional[Check]:
        """C3: the flat minima and ``S = argmin_M phi`` (``minima.flat``)."""
        return self._check("minima", "flat")

    @property
    def c4(self) -> Optional[Check]:
        """C4: the d-Lyapunov decrease of ``phi`` along ``M`` (``decrease``)."""
        return self._check("decrease")

    @property
    def c5(self) -> Optional[Check]:
        """C5: coercivity of ``f + phi`` (``coercivity``)."""
        return self._check("coercivity")

    @property
    def c6(self) -> Optional[Check]:
        """C6: strict local minimum of ``f + phi`` at each point of ``S``
        (``minima.strictness``)."""
        return self._check("minima", "strictness")

    @property
    def conservation(self) -> Optional[Check]:
        """The JSON name of :attr:`c1`."""
        return self.c1

    @property
    def decrease(self) -> Optional[Check]:
        """The JSON name of :attr:`c4`."""
        return self.c4

    @property
    def coercivity(self) -> Optional[Check]:
        """The JSON name of :attr:`c5`."""
        return self.c5

    @property
    def flat_points(self) -> tuple[Node, ...]:
        """The isolated flat minima found by C3 (``minima.flat.flat_points``): each with its
        ``point`` (``coords`` as decimal strings, ``approx`` as floats, ``closed_form`` where
        recognised), its ``sharpness`` and whether it is in ``S`` (``in_s``)."""
        flat = (self._data.get("minima") or {}).get("flat") or {}
        return tuple(Node(p) for p in flat.get("flat_points") or ())

    @property
    def verdict(self) -> Verdict:
        """The verdict table, with :attr:`Verdict.exit_status`."""
        return Verdict(self._data["verdict"])

    def __repr__(self) -> str:
        case = self._data.get("case", {})
        checks = []
        for name in ("c1", "c2", "c3", "c4", "c5", "c6"):
            check = getattr(self, name)
            if check is not None:
                checks.append(f"{name.upper()} {check.get('evidence')}")
        return (
            f"<Report {case.get('title')!r}: {', '.join(checks)}; exit status {self.exit_status}>"
        )


class Discovery(_Rendered):
    """The output of ``ngd-verify discover``: conserved quantities, symmetries, the
    completeness count and the proposed regularizer (with its report when checked)."""

    __slots__ = ()

    @staticmethod
    def _status_of(data: dict[str, Any]) -> int:
        check = data.get("check") or {}
        return int(check.get("verdict", {}).get("exit_code", 0))

    @property
    def quantities(self) -> tuple[str, ...]:
        """The conserved quantities found by every ansatz, as expressions (``display``)."""
        found = []
        for ansatz in self._data["discovery"].get("ansatz") or ():
            for law in ansatz.get("basis") or ():
                found.append(law["display"])
        return tuple(found)

    @property
    def proposed_phi(self) -> Optional[str]:
        """The proposed regularizer (``proposal.display``), or ``None`` (see ``proposal_note``)."""
        proposal = self._data.get("proposal")
        return None if proposal is None else str(proposal["display"])

    @property
    def check(self) -> Optional[Report]:
        """The certificate report of the proposal (``check=True``), else ``None``."""
        data = self._data.get("check")
        return None if data is None else Report(data, None, None, None, Report._status_of(data))

    def __repr__(self) -> str:
        return (
            f"<Discovery: {len(self.quantities)} conserved quantities, phi = {self.proposed_phi}>"
        )


class HarnessRun(_Rendered):
    """The NGD harness (``ngd-verify run``): seeded multistart NGD against plain GD."""

    __slots__ = ()

    @property
    def fraction_near_flat(self) -> Optional[float]:
        """The fraction of NGD runs that ended near the flat set (``ngd.fraction_near_flat``)."""
        ngd = self._data.get("ngd") or {}
        return ngd.get("fraction_near_flat")

    def __repr__(self) -> str:
        ngd = self._data.get("ngd") or {}
        return (
            f"<HarnessRun: {ngd.get('runs')} NGD runs, near the flat set {self.fraction_near_flat}>"
        )
