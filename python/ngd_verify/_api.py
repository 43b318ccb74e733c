"""The commands of ngd-verify as Python functions: cases, reports, discovery and the harness."""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import dataclass
from fractions import Fraction
from types import SimpleNamespace
from typing import Any, Mapping, Optional, Sequence, Union

from . import _native
from ._expr import name_of, to_text
from ._results import Discovery, HarnessRun, Node, Report

# The name of a case built from Python, in messages and in the report's `source`.
_BUILT_CASE_NAME = "make_case"
# The longest default title (longer ones are cut).
_TITLE_LENGTH = 100
# TOML integers are signed 64-bit.
_MAX_TOML_INT = 2**63 - 1

Bound = Union[int, float, Fraction, str, Any]
Interval = Sequence[Bound]
BoxSpec = Union[Interval, Mapping[Any, Interval]]


@dataclass(frozen=True)
class Case:
    """A validated case: the TOML text of a case file (``source``) and the name it is known
    by in messages (``name``, the file path for :func:`load_case`). Its summary (title,
    variables, ``f``, ``phi``, search box, ``[ngd]`` settings, ``[limits]``) is ``summary``."""

    name: str
    source: str
    summary: Node

    @property
    def title(self) -> str:
        """The case title."""
        return str(self.summary.case.title)

    @property
    def variables(self) -> tuple[str, ...]:
        """The variable declarations as written (``x``, ``X[2,2]``)."""
        return tuple(self.summary.case.variables)

    @property
    def objective(self) -> str:
        """``f`` as ngd-verify reads it."""
        return str(self.summary.case.objective)

    @property
    def regularizer(self) -> Optional[str]:
        """``phi`` as ngd-verify reads it, or ``None``."""
        phi = self.summary.case.regularizer
        return None if phi is None else str(phi)

    def verify(
        self, *, max_boxes: Optional[int] = None, cover_boxes: Optional[int] = None
    ) -> Report:
        """The certificate report (``ngd-verify CASE``): C1 .. C6, the critical sets, the
        harness, the ``[expect]`` claims and the verdict. ``max_boxes`` and ``cover_boxes``
        override the case's ``[limits]``."""
        rendered = _native.report(
            self.name,
            self.source,
            _count("max_boxes", max_boxes),
            _count("cover_boxes", cover_boxes),
        )
        return Report._from_native(rendered)

    def discover(
        self,
        *,
        degree: int = 3,
        laurent: bool = False,
        exp: bool = False,
        check: bool = False,
        seed: int = 1,
    ) -> Discovery:
        """Conserved quantities of the gradient flow of ``f`` and a proposed ``phi``
        (``ngd-verify discover``); ``check=True`` adds the report of the proposal."""
        rendered = _native.discover(
            self.name,
            self.source,
            _int("degree", degree),
            _flag("laurent", laurent),
            _flag("exp", exp),
            _flag("check", check),
            _int("seed", seed, minimum=0),
        )
        return Discovery._from_native(rendered)

    def run(
        self,
        *,
        starts: Optional[int] = None,
        iterations: Optional[int] = None,
        seed: Optional[int] = None,
        a0: Optional[float] = None,
        power: Optional[float] = None,
        precision: Optional[int] = None,
        shard: Optional[tuple[int, int]] = None,
        plots: Union[str, os.PathLike[str], None] = None,
    ) -> HarnessRun:
        """The NGD harness alone (``ngd-verify run``), overriding the case's ``[ngd]``
        settings where given. ``shard=(k, n)`` runs the k-th of n slices (1-based, as
        ``--shard K/N``); ``plots`` is a folder for the SVG plots."""
        if shard is not None:
            if not (isinstance(shard, tuple) and len(shard) == 2):
                raise TypeError("shard must be a pair (k, n) of integers, 1 <= k <= n")
            shard = (_int("shard index", shard[0]), _int("shard count", shard[1]))
        settings = SimpleNamespace(
            starts=_count("starts", starts),
            iterations=_count("iterations", iterations),
            seed=_count("seed", seed, minimum=0),
            a0=_real("a0", a0),
            power=_real("power", power),
            precision=_count("precision", precision, maximum=2**32 - 1),
            shard=shard,
            plots=None if plots is None else os.fspath(plots),
        )
        return HarnessRun._from_native(_native.run(self.name, self.source, settings))

    @classmethod
    def from_source(cls, source: str, name: str = "case") -> "Case":
        """A case from the TOML text of a case file (``name`` is used in messages)."""
        summary = _native.case_summary(_string("name", name), _string("source", source))
        return cls(name, source, Node(json.loads(summary)))

    def save(self, path: Union[str, os.PathLike[str]]) -> None:
        """Writes the case file (for the CLI, a cluster job or the record)."""
        with open(path, "w", encoding="utf-8") as out:
            out.write(self.source)

    def __repr__(self) -> str:
        return f"<Case {self.title!r}: f = {self.objective}, phi = {self.regularizer}>"

    def _repr_markdown_(self) -> str:
        return (
            f"**{self.title}** (`{self.name}`)\n\n"
            f"- variables: `{', '.join(self.variables)}`\n"
            f"- f: `{self.objective}`\n"
            f"- phi: `{self.regularizer}`\n"
        )


def load_case(path: Union[str, os.PathLike[str]]) -> Case:
    """Reads and validates a case file, as ``ngd-verify CASE`` does (same limits, same
    located messages: ``ValueError``)."""
    name = os.fspath(path)
    if not isinstance(name, str):
        raise TypeError("the path of a case file must be a str or os.PathLike[str]")
    source, summary = _native.load_case(name)
    return Case(name, source, Node(json.loads(summary)))


def make_case(
    f: Any,
    phi: Any = None,
    *,
    variables: Optional[Sequence[Any]] = None,
    box: Optional[BoxSpec] = None,
    title: Optional[str] = None,
    start_box: Optional[BoxSpec] = None,
    starts: Optional[int] = None,
    iterations: Optional[int] = None,
    seed: Optional[int] = None,
    a0: Optional[float] = None,
    power: Optional[float] = None,
    max_boxes: Optional[int] = None,
    cover_boxes: Optional[int] = None,
    expect: Optional[Mapping[str, Any]] = None,
) -> Case:
    """A case from ``f`` and ``phi`` given as strings or SymPy expressions (converted
    exactly). ``variables`` lists the declarations (strings such as ``"x"``, ``"w[3]"`` or
    SymPy symbols; by default the plain identifiers in order of appearance). ``box`` is the
    search box: ``(lo, hi)`` for every variable or a dict ``{variable: (lo, hi), "default":
    (lo, hi)}``; bounds are exact (ints, Fractions, SymPy Rationals, strings such as
    ``"1/3"``; floats as the exact value of their binary number). The other options are the
    fields of ``[ngd]``, ``[limits]`` and ``[expect]`` of ``docs/case-format.md``."""
    spec: dict[str, Any] = {"objective": to_text(f, "f")}
    if phi is not None:
        spec["regularizer"] = to_text(phi, "phi")
    spec["title"] = _default_title(spec) if title is None else _string("title", title)
    if variables is not None:
        if isinstance(variables, (str, bytes)):
            raise TypeError("variables must be a list, e.g. ['x', 'y']")
        spec["variables"] = [name_of(v, "each variable") for v in variables]
    if box is not None:
        spec["search"] = {"box": _box("box", box)}
    ngd = _ngd_section(start_box, starts, iterations, seed, a0, power)
    if ngd:
        spec["ngd"] = ngd
    limits = {
        key: value
        for key, value in (
            ("max_boxes", _count("max_boxes", max_boxes, maximum=_MAX_TOML_INT)),
            ("cover_boxes", _count("cover_boxes", cover_boxes, maximum=_MAX_TOML_INT)),
        )
        if value is not None
    }
    if limits:
        spec["limits"] = limits
    if expect is not None:
        spec["expect"] = _expect(expect)
    source, summary = _native.case_from_spec(_BUILT_CASE_NAME, json.dumps(spec))
    return Case(_BUILT_CASE_NAME, source, Node(json.loads(summary)))


def _default_title(spec: dict[str, Any]) -> str:
    """``f = ..., phi = ...``, cut to a heading's length."""
    title = f"f = {spec['objective']}"
    if "regularizer" in spec:
        title += f", phi = {spec['regularizer']}"
    return title if len(title) <= _TITLE_LENGTH else title[: _TITLE_LENGTH - 3] + "..."


def verify(
    f: Any,
    phi: Any = None,
    *,
    max_boxes: Optional[int] = None,
    cover_boxes: Optional[int] = None,
    **case_options: Any,
) -> Report:
    """The certificate report of ``f`` with the candidate ``phi`` (strings or SymPy
    expressions; the options of :func:`make_case`), or of a :class:`Case`. A refutation or
    an inconclusive check is part of the returned report (``report.exit_status`` 1 or 3);
    bad input raises ``ValueError`` with the CLI's located message."""
    if isinstance(f, Case):
        if phi is not None or case_options:
            raise TypeError("verify(case) takes no phi and no case options")
        return f.verify(max_boxes=max_boxes, cover_boxes=cover_boxes)
    case = make_case(f, phi, max_boxes=max_boxes, cover_boxes=cover_boxes, **case_options)
    return case.verify()


def check_identity(
    f: Any,
    phi: Any,
    *,
    variables: Optional[Sequence[Any]] = None,
    radius: Bound = 3,
    max_boxes: Optional[int] = None,
) -> Report:
    """C1 alone (``ngd-verify check-identity F PHI``): is ``phi`` conserved by the gradient
    flow of ``f`` (exactly), else ``<grad f, grad phi> >= 0`` on ``[-radius, radius]^n``,
    else a witness where ``phi`` increases."""
    if variables is not None and isinstance(variables, (str, bytes)):
        raise TypeError("variables must be a list, e.g. ['x', 'y']")
    names = [name_of(v, "each variable") for v in variables or ()]
    rendered = _native.check_identity(
        to_text(f, "f"),
        to_text(phi, "phi"),
        names,
        _bound("radius", radius),
        _count("max_boxes", max_boxes),
    )
    return Report._from_native(rendered)


def discover(case: Any, **options: Any) -> Discovery:
    """Conserved quantities of the gradient flow of ``f`` (``ngd-verify discover``) for a
    :class:`Case`, or for ``f`` given as a string or SymPy expression (with ``variables``
    and ``box`` as in :func:`make_case`). Options: ``degree``, ``laurent``, ``exp``,
    ``check``, ``seed``."""
    if not isinstance(case, Case):
        case_keys = {"variables", "box", "title"}
        built = {k: options.pop(k) for k in list(options) if k in case_keys}
        case = make_case(case, **built)
    found: Discovery = case.discover(**options)
    return found


def run(case: Case, **options: Any) -> HarnessRun:
    """The NGD harness on a :class:`Case` (``ngd-verify run``); the options of
    :meth:`Case.run`."""
    if not isinstance(case, Case):
        raise TypeError("run needs a Case (from load_case or make_case)")
    return case.run(**options)


def _count(
    name: str, value: Optional[int], *, minimum: int = 1, maximum: int = 2**64 - 1
) -> Optional[int]:
    """An optional count given from Python: ``None``, or as :func:`_int`."""
    return None if value is None else _int(name, value, minimum=minimum, maximum=maximum)


def _int(name: str, value: int, *, minimum: int = 1, maximum: int = 2**64 - 1) -> int:
    """An integer given from Python: an int (not a bool) in ``minimum..=maximum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if not minimum <= value <= maximum:
        raise ValueError(f"{name} must be an integer from {minimum} to {maximum}, got {value}")
    return value


def _flag(name: str, value: bool) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    return value


def _real(name: str, value: Optional[float]) -> Optional[float]:
    """A finite real setting of the harness (a float, as on the command line)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    as_float = float(value)
    if not math.isfinite(as_float):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return as_float


def _string(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    return value


def _bound(what: str, value: Bound) -> str:
    """An exact rational as text: ints, Fractions, SymPy Rationals, strings (passed on),
    floats as the exact value of their binary number."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a number, got a bool")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{what} must be a finite number, got {value}")
        return _fraction(Fraction(value))
    if isinstance(value, Fraction):
        return _fraction(value)
    sympy = sys.modules.get("sympy")
    if sympy is not None and isinstance(value, sympy.Basic):
        if value.is_Rational:
            return _fraction(Fraction(int(value.p), int(value.q)))
        if value.is_Float and value.is_finite:
            return _fraction(Fraction(int(sympy.Rational(value).p), int(sympy.Rational(value).q)))
        raise ValueError(f"{what} must be a rational number, got {value}")
    raise TypeError(f"{what} must be a number or a string, got {type(value).__name__}")


def _fraction(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _interval(what: str, value: Any) -> list[str]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
        raise TypeError(f"{what} must be a pair (lo, hi)")
    return [_bound(f"{what} lower bound", value[0]), _bound(f"{what} upper bound", value[1])]


def _box(what: str, box: BoxSpec) -> dict[str, list[str]]:
    """The ``box`` table of a case: ``(lo, hi)`` for every variable, or a dict keyed by
    variable names (strings or SymPy symbols) and ``"default"``."""
    if isinstance(box, Mapping):
        return {
            name_of(key, f"a key of {what}"): _interval(f"{what}[{key}]", value)
            for key, value in box.items()
        }
    return {"default": _interval(what, box)}


def _ngd_section(
    start_box: Optional[BoxSpec],
    starts: Optional[int],
    iterations: Optional[int],
    seed: Optional[int],
    a0: Optional[float],
    power: Optional[float],
) -> dict[str, Any]:
    section: dict[str, Any] = {}
    for key, value in (
        ("starts", _count("starts", starts, maximum=_MAX_TOML_INT)),
        ("iterations", _count("iterations", iterations, maximum=_MAX_TOML_INT)),
        ("seed", _count("seed", seed, minimum=0, maximum=_MAX_TOML_INT)),
    ):
        if value is not None:
            section[key] = value
    step = {
        k: v
        for k, v in (("a0", _real("a0", a0)), ("power", _real("power", power)))
        if v is not None
    }
    if step:
        section["step"] = step
    if start_box is not None:
        section["start_box"] = _box("start_box", start_box)
    return section


def _expect(expect: Mapping[str, Any]) -> dict[str, Any]:
    """The ``[expect]`` table: booleans, and ``flat_minima`` as points of expressions."""
    if not isinstance(expect, Mapping):
        raise TypeError("expect must be a dict, e.g. {'conserved': True}")
    table: dict[str, Any] = {}
    for key, value in expect.items():
        if key == "flat_minima":
            table[key] = [
                [to_text(c, "a coordinate of expect['flat_minima']") for c in point]
                for point in value
            ]
        elif isinstance(value, bool):
            table[key] = value
        else:
            raise TypeError(f"expect[{key!r}] must be True or False")
    return table
