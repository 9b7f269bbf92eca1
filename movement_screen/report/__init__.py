"""Reports made from a Screening, each from the Screening alone (nothing recomputed).

- data.py: report.json, the screening as a versioned document.
- html.py: report.html, one self-contained page (pictures as data URIs).
- pdf.py: report.pdf, the same HTML printed by WeasyPrint.
- plots.py: the pictures (matplotlib PNGs, key frames as JPEG).
- names.py: the words and small tables they share (metric names, status labels, panels).

The annotated video is `movement_screen.overlay`, the .trc export `movement_screen.trc`.
"""
