"""Reports made from a Screening: report.json (data.py); more formats slot in beside it."""
