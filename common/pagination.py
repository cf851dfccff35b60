"""Page-number pagination for the API's list endpoints: 50 a page, up to 200 with
?page_size=. A page size that is not a whole number from 1 to 200, or a page that is not
one from 1 to 2^63 - 1, is a 400 naming it, not silently replaced by the default (a page
past the last is a 404)."""

from django.core.exceptions import ValidationError
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from .bounds import ID_MAX, whole_number


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        size = self._whole_number(request, self.page_size_query_param, self.max_page_size)
        return self.page_size if size is None else size

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw in self.last_page_strings:
            return raw
        page = self._whole_number(request, self.page_query_param, ID_MAX)
        return 1 if page is None else page

    def _whole_number(self, request, name: str, maximum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            return whole_number(raw, 1, maximum)
        except ValidationError as error:
            detail = serializers.ErrorDetail(error.messages[0], code=error.code)
            raise serializers.ValidationError({name: [detail]}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            elif parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1, maximum=ID_MAX)
        return parameters
