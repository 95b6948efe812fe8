"""Speed and memory benchmarks: ``python -m bench`` runs every ``bench/*_bench.py``'s ``run()``."""
