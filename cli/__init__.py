"""The `plankg` command line (typer): load, validate, query, search, show, export, stats, serve."""
