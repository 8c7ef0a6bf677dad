"""Benchmarks and synthetic data for plankg stores."""
