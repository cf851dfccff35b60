from django.urls import path

from . import api

urlpatterns = [
    path("portfolio/", api.PortfolioView.as_view(), name="api-portfolio"),
]
