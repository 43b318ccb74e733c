"""ngd-verify from Python: exact and interval certificates for the implicit regularization of
normalized gradient descent, with the results as typed objects that render in Jupyter.

    >>> import ngd_verify
    >>> r = ngd_verify.verify("(x^3 + y^3 - 1)^2", "(1/x - 1/y)^2", variables=["x", "y"],
    ...                       box=(-3, 3), starts=16, iterations=20000)
    >>> r.c1.proved, r.verdict.exit_status
    (True, 0)

``f`` and ``phi`` may be strings in the expression language of ``docs/case-format.md`` or
SymPy expressions (printed exactly: rationals stay rational). The work runs in the Rust
library with the GIL released. A refuted or inconclusive check is a value of the report
(``exit_status`` 1 or 3); bad input raises ``ValueError`` with the located message of the
command line.
"""

from ._api import Case, check_identity, discover, load_case, make_case, run, verify
from ._expr import to_text
from ._native import __version__
from ._results import Check, Discovery, HarnessRun, Node, Report, Verdict

__all__ = [
    "Case",
    "Check",
    "Discovery",
    "HarnessRun",
    "Node",
    "Report",
    "Verdict",
    "__version__",
    "check_identity",
    "discover",
    "load_case",
    "make_case",
    "run",
    "to_text",
    "verify",
]
