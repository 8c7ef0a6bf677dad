"""plankg — a knowledge graph of government plans, with the plan's own words behind every answer.

One distribution, one import name: the source folders at the top of the repository
(`ontology/`, `model/`, `loaders/`, `graph/`, `api/`, `cli/`) install as
`plankg.ontology`, `plankg.model`, … through a package-dir mapping in pyproject.toml.
"""

__version__ = "0.2.0"
