"""OpenSLO v1 (and v1alpha where it maps) read into a ``.sla`` contract, and a contract's
objectives written as OpenSLO v1: see docs/openslo.md."""

from obligo.interop.openslo.exporter import Exported, LeftOut, export_openslo
from obligo.interop.openslo.importer import Imported, Note, import_openslo

__all__ = ["Exported", "Imported", "LeftOut", "Note", "export_openslo", "import_openslo"]
