"""The tracker stage: action items and an issue tracker kept in step.

`github_issues` talks to GitHub's REST API; `sync` plans what to open and what to
read back; `edits` records the results in the incident files.
"""
