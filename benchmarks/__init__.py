"""Benchmarks: how an organization's returns compare with published figures.

Later issues build here: the ROI bands (cost reduction, revenue increase,
efficiency gains) with their sources, the industry case studies, ROI comparison
and projection, and peer comparison among other organizations' closed
assessments (DESIGN.md §7).
"""
