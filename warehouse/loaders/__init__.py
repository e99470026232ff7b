"""Loaders for the official file formats into the ``raw`` schema of the warehouse.

Each loader takes an open DuckDB connection and the files of one source (or one BACI year), checks them,
and replaces that source's (or year's) rows in one transaction: loading the same input twice leaves the
table as after the first load, and a failure leaves it as before. Demo and real files go through the same
functions. Every loaded file is recorded in ``raw.load_log`` with its sha256.
"""

from warehouse.loaders.baci import BaciLoads
from warehouse.loaders.base import (
    DDL_PATH,
    FLOW_KEY_SQL,
    HS6_SQL,
    NA_STRINGS,
    LoaderBase,
    ensure_raw_schema,
    sha256_file,
    transaction,
)
from warehouse.loaders.io_tables import IOLoads
from warehouse.loaders.materials import MaterialLoads
from warehouse.loaders.world_bank import WorldBankLoads


class Loader(BaciLoads, WorldBankLoads, MaterialLoads, IOLoads, LoaderBase):
    """Every loader of the official formats, one method per source (see the modules of this package).

    Parameters
    ----------
    con
        Open DuckDB connection to the warehouse being built.
    source_kind
        ``demo`` or ``real``: recorded in the load log.
    on_bad_rows
        ``fail`` (default) or ``quarantine``.
    """


__all__ = [
    "DDL_PATH",
    "FLOW_KEY_SQL",
    "HS6_SQL",
    "NA_STRINGS",
    "Loader",
    "ensure_raw_schema",
    "sha256_file",
    "transaction",
]
