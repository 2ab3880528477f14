"""GeoReport v2's XML, made from the same values as its JSON (the spec maps one onto the other):
a mapping's keys become elements, a list repeats the child the spec names for it (services ->
service, service_requests -> request, ...). Written with xml.etree.ElementTree, which escapes
every text; characters XML 1.0 cannot carry at all are dropped first."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

# A list's element -> the element of each of its items, as GeoReport v2 and FixMyStreet's
# updates extension name them.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# Control characters (tab, newline and carriage return aside) and the two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _fill(ET.SubElement(element, key), inner)
    elif isinstance(value, list):
        item = ITEMS[element.tag]
        for inner in value:
            _fill(ET.SubElement(element, item), inner)
    else:
        element.text = _text(value)


def render(root: str, value: Any) -> bytes:
    """`value` (a list, or one mapping) under the root element `root`, with the XML
    declaration naming UTF-8."""
    element = ET.Element(root)
    _fill(element, value)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)
