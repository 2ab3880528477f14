import re

# The HTML pages for people (and their static files) are not part of the API document.
PAGE_MODULES = ("lapor.web.pages", "lapor.web.officer_pages")


def route_set(app) -> set[tuple[str, str]]:
    found = set()
    for route in app.router.routes():
        if route.method == "HEAD" or route.resource.canonical == "/static":
            continue
        if getattr(route.handler, "__module__", "") in PAGE_MODULES:
            continue
        path = route.resource.canonical
        path = re.sub(r"\{(\w+)(:[^}]*)?\}", r"{\1}", path)
        found.add((route.method.lower(), path))
    return found


async def test_the_openapi_document_describes_exactly_the_routes(client):
    response = await client.get("/api/openapi.json")
    document = await response.json()
    assert document["openapi"].startswith("3.1")
    described = {(method, path) for path, item in document["paths"].items() for method in item}
    assert described == route_set(client.app)


async def test_health_and_readiness(client):
    assert (await (await client.get("/healthz")).json()) == {"status": "ok"}
    assert (await client.get("/readyz")).status == 200
