"""OpenSLO v1 (and v1alpha where it maps) read into a ``.sla`` contract: see docs/openslo.md."""

from obligo.interop.openslo.importer import Imported, Note, import_openslo

__all__ = ["Imported", "Note", "import_openslo"]
