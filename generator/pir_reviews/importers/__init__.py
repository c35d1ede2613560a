"""`pir import`: timeline events read from the tools where incidents happen.

One module per kind of export (`slack`, `pagerduty`, `csv_events`), each
turning its files into `common.ImportedEvent` records; `common` holds what
they share (the record, the JSON reader, trimming, the YAML they print) and
`into` adds the events to an incident file without rewriting the rest of it.
"""
