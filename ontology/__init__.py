"""The plankg vocabulary: Turtle files (OWL, SKOS, SHACL) and the reader every module asks."""
