"""When each record last changed, read from the data itself (never from the clock or from git).

A record's date is the latest day a person read one of its sources or verified it with the service:
the same input always gives the same date, so rebuilds stay byte-identical. Exports (``date_maj``,
``last_modified``), the Atom feed and the sitemap's ``lastmod`` all read these functions.
"""

from __future__ import annotations

import datetime as dt

from ... import format as fmt
from ..model import Annuaire, DepartementView, StructureView


def record_date(record: fmt.Provenance) -> dt.date:
    """The latest of its sources' reading dates and its verification date."""
    dates = [source.consulte_le for source in record.sources]
    if record.verifie_le is not None:
        dates.append(record.verifie_le)
    return max(dates)


def structure_date(view: StructureView) -> dt.date:
    """A fiche's date."""
    return record_date(view.data)


def departement_date(departement: DepartementView, annuaire: Annuaire) -> dt.date:
    """A département page's date: its communauté, its members, the resources that cover it, the national number."""
    dates = [record_date(annuaire.national.numero_national)]
    if departement.communaute is not None:
        dates.append(record_date(departement.communaute))
    dates += [structure_date(view) for view in departement.members + departement.resources]
    dates += [structure_date(view) for view in annuaire.national_resources]
    return max(dates)


def latest_date(annuaire: Annuaire) -> dt.date:
    """The date of the whole directory: its latest record."""
    dates = [record_date(annuaire.national.numero_national)]
    dates += [record_date(d.communaute) for d in annuaire.departements if d.communaute is not None]
    dates += [structure_date(view) for view in annuaire.structures.values()]
    return max(dates)
