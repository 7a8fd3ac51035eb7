"""Experiments: many runs over parameters and seeds, stored safely, then summarised.

The flow is one way: a spec (``spec``) names a base scenario, parameters and a design; the design
(``design``) turns it into points; each (point, replicate) becomes one run (``plan``) whose
metrics (``metrics``) go into a SQLite store (``store``), filled by local processes or Dask
(``executor``); ``analyze`` reads the store and writes tables, figures and a report.
"""

from .spec import LoadedSweep, SweepSpec, load_sweep

__all__ = ["LoadedSweep", "SweepSpec", "load_sweep"]
