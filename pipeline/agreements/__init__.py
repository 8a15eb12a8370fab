"""From article collaborations to agreements: one row per real-world collaboration.

Pure functions, no Prefect. :func:`resolve` clusters :class:`Report` objects (one per
``collaborations`` row) into :class:`Agreement` objects following the documented rules in
:mod:`pipeline.agreements.resolve` and the vocabulary ``pipeline/data/vocab/agreements.json``;
:func:`refresh_agreements` recomputes and writes the ``agreements``, ``agreement_parties`` and
``agreement_evidence`` tables of a store.
"""

from pipeline.agreements.resolve import Agreement, Report, resolve
from pipeline.agreements.rules import Rules, load_rules
from pipeline.agreements.tables import RefreshReport, agreement_rows, compute_agreements, refresh_agreements, reports_from_arrow

__all__ = [
    "Agreement",
    "RefreshReport",
    "Report",
    "Rules",
    "agreement_rows",
    "compute_agreements",
    "load_rules",
    "refresh_agreements",
    "reports_from_arrow",
    "resolve",
]
