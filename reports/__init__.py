"""Reports: board-ready PDF documents.

Later issues build here: report requests stored as records (pending → rendering →
ready | failed), the executive summary, full assessment and roadmap progress PDFs
rendered by Celery workers (never in the web request), with the on-screen charts
as vector images and optional consultant branding (DESIGN.md §8).
"""
