"""Synthetic athletes with known joint angles: skeleton, motions, renderer and clip catalogue.

Importing this package renders nothing; see ``python -m movement_screen.synth --help``.
"""
