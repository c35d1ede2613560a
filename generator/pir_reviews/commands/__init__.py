"""What each `pir` command does, apart from declaring its options (cli.py).

One module per kind of work: `console` (what a command can ask and print,
the as-of day, writing an output file), `checking` (validate), `analysing`
(classify, timeline, review), `authoring` (new, init, schema), `publishing`
(generate, build, serve), `follow_up` (actions and the tracker sync) and
`importing` (pir import). Each `run_*` function takes the option values and a
`Console`; failures are exceptions from core.errors, whose exit codes the CLI
applies.
"""
