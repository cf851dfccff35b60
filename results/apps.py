from django.apps import AppConfig


class ResultsConfig(AppConfig):
    """The pages and documents that compose the other apps: the results page, the
    organization's home page, the reports' contents, and the commands that load the
    reference data and the demo organization across apps."""

    name = "results"
    verbose_name = "Results"

    def ready(self) -> None:
        from assessments.exports import SHEET_EXTENSIONS

        from .exports import placement_sheet

        if placement_sheet not in SHEET_EXTENSIONS["scores"]:
            SHEET_EXTENSIONS["scores"].append(placement_sheet)
