"""What the GitHub workflows that can write run (``python3 -m annuaire360.ci …``): publish the site and the pull
request previews on the ``gh-pages`` branch, comment on pull requests, keep the broken-links issue up to date.

Standard library only, on purpose: those workflows run the runner's bare Python, install nothing, and never the
code of a pull request. Nothing here imports the rest of the package (pydantic and the others are not there).
"""
