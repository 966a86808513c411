"""Contributor tools, never on the build path: the preview server (``serve``), the JSON Schema of the data
files (``schema``), the field reference of the guide (``guide``) and the GitHub job summary (``github``)."""
