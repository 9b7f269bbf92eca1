"""Benchmarks of the movement-screen engine against synthetic clips with known joint angles.

`python benchmarks/accuracy.py --set smoke|samples|full` (see `benchmarks/README.md`).
"""
