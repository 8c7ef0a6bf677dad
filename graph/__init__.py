"""Graph stores (embedded networkx, Neo4j), named queries and exports behind one protocol."""
