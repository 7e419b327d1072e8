"""Reading and writing corpus files: importers (``*_reader.py``, ``importer.py``) and exporters."""
