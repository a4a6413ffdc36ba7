#!/usr/bin/env python3
"""A stand-in for the part of Authentik's REST API (/api/v3/) that ngxauth uses, for
authentik_e2e.sh. Shapes follow Authentik's OpenAPI schema: list envelope
{"pagination": {...}, "results": [...]}, uuid keys for flows, applications (looked up by
slug) and outposts, integer keys for proxy providers, 201 on create, 204 on delete,
{"detail": ...} for 401/403/404 and {"field": ["..."]} for 400.

  authentik_standin.py --cert FILE --key FILE [--port 0] [--port-file F] [--version V]
      [--token-file F] [--readonly-token-file F] [--log FILE] [--page-size N]
      [--seed-person-app SLUG] [--bad-token-status 403|401] [--lifetime SECONDS]

A missing or unknown token gets 403 {"detail": "Token invalid/expired"} (or "Authentication
credentials were not provided."), as Authentik answers; --bad-token-status 401 makes it 401.
The first line on stdout is "port N". Listens on 127.0.0.1 only, stops by itself after
--lifetime seconds. The log (one JSON object a line: method, path, query, body, status)
never holds the Authorization header.

Control path for the test (no auth, same port, never logged):
  POST /_standin/fault {"status": 500, "body": {...}, "count": 1}  the next N API requests
  POST /_standin/fault {"delay": 3, "count": N}   sleep before answering (every request, or N)
  POST /_standin/fault {"touch_outpost_after_reads": N}  after the Nth GET of an outpost
       (detail or list) another admin adds a provider of theirs to the outposts it returned
  "method"/"path" in a fault limit it to requests with that method / path prefix.
  POST /_standin/reset   the seeded state, no faults, an empty log
  GET  /_standin/state   every object ; GET /_standin/log  the request log (a list)
"""
import argparse
import copy
import http.server
import json
import os
import re
import secrets
import ssl
import sys
import threading
import time
import urllib.parse
import uuid

EMBEDDED_NAME = "authentik Embedded Outpost"
EMBEDDED_MANAGED = "goauthentik.io/outposts/embedded"
SEED_FLOWS = [
    ("default-authentication-flow", "authentication"),
    ("default-provider-authorization-implicit-consent", "authorization"),
    ("default-provider-authorization-explicit-consent", "authorization"),
    ("default-provider-invalidation-flow", "invalidation"),
    ("default-invalidation-flow", "invalidation"),
]
PROXY_MODES = ("proxy", "forward_single", "forward_domain")
DETAIL_NOT_FOUND = {"detail": "Not found."}
DETAIL_FORBIDDEN = {"detail": "You do not have permission to perform this action."}
DETAIL_NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}
DETAIL_BAD_TOKEN = {"detail": "Token invalid/expired"}
REQUIRED = "This field is required."


class ApiError(Exception):
    def __init__(self, status, body):
        super().__init__(status)
        self.status, self.body = status, body


def bad_request(field, message):
    raise ApiError(400, {field: [message]})


def version_tuple(text):
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3])


# --- the objects ------------------------------------------------------------------------


class Store:
    """Authentik's objects, seeded; every access holds the one lock."""

    def __init__(self, options):
        self.options = options
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        self.flows, self.providers, self.apps, self.outposts, self.tokens = [], {}, {}, {}, {}
        self.next_provider_pk = 1
        for slug, designation in SEED_FLOWS:
            self.flows.append({"pk": str(uuid.uuid4()), "slug": slug, "designation": designation,
                               "name": slug.replace("-", " ").title(), "title": slug})
        self.add_outpost(EMBEDDED_NAME, [], {"authentik_host": "https://authentik.example.com"},
                         managed=EMBEDDED_MANAGED)
        if self.options.seed_person_app:
            slug = self.options.seed_person_app
            explicit = self.flow("default-provider-authorization-explicit-consent")
            pk = self.add_provider({"name": "Provider for " + slug, "mode": "proxy",
                                    "authorization_flow": explicit,
                                    "invalidation_flow": self.flow("default-invalidation-flow"),
                                    "external_host": "https://" + slug + ".people.example.org",
                                    "internal_host": "http://" + slug + ":8080"})
            self.apps[slug] = {"pk": str(uuid.uuid4()), "name": slug.title(), "slug": slug,
                               "provider": pk, "meta_launch_url": "", "meta_publisher": "",
                               "meta_description": "", "group": "", "open_in_new_tab": False,
                               "policy_engine_mode": "any", "backchannel_providers": []}

    def flow(self, slug):
        return next(f["pk"] for f in self.flows if f["slug"] == slug)

    def add_provider(self, fields):
        pk = self.next_provider_pk
        self.next_provider_pk += 1
        provider = {"pk": pk, "name": "", "authorization_flow": None, "authentication_flow": None,
                    "invalidation_flow": None, "property_mappings": [], "internal_host": "",
                    "external_host": "", "internal_host_ssl_validation": True, "certificate": None,
                    "skip_path_regex": "", "basic_auth_enabled": False,
                    "basic_auth_password_attribute": "", "basic_auth_user_attribute": "",
                    "mode": "proxy", "intercept_header_auth": True, "cookie_domain": "",
                    "jwt_federation_sources": [], "jwt_federation_providers": [],
                    "access_token_validity": "hours=24", "refresh_token_validity": "days=30",
                    "client_id": secrets.token_hex(20)}
        provider.update(fields)
        self.providers[pk] = provider
        return pk

    def add_outpost(self, name, providers, config, managed=None, kind="proxy"):
        pk = str(uuid.uuid4())
        ident = "ak-outpost-" + pk + "-api"
        self.tokens[ident] = secrets.token_urlsafe(48)
        self.outposts[pk] = {"pk": pk, "name": name, "type": kind, "providers": list(providers),
                             "service_connection": None, "refresh_interval_s": 150,
                             "token_identifier": ident, "config": config, "managed": managed}
        return pk

    # --- serialised as the API shows them ---

    def provider_view(self, pk):
        p = copy.deepcopy(self.providers[pk])
        app = next((a for a in self.apps.values() if a["provider"] == pk), None)
        p.update({"component": "ak-provider-proxy-form", "verbose_name": "Proxy Provider",
                  "verbose_name_plural": "Proxy Providers",
                  "meta_model_name": "authentik_providers_proxy.proxyprovider",
                  "assigned_application_slug": app["slug"] if app else None,
                  "assigned_application_name": app["name"] if app else None,
                  "assigned_backchannel_application_slug": None,
                  "assigned_backchannel_application_name": None,
                  "redirect_uris": [{"matching_mode": "strict", "url": p["external_host"]
                                     + "/outpost.goauthentik.io/callback"}],
                  "outpost_set": ["Outpost " + o["name"] for o in self.outposts.values()
                                  if pk in o["providers"]]})
        return p

    def app_view(self, slug):
        a = copy.deepcopy(self.apps[slug])
        pk = a["provider"]
        a["provider_obj"] = self.provider_view(pk) if pk in self.providers else None
        a["launch_url"] = a["meta_launch_url"] or None
        a["meta_icon"] = None
        return a

    def outpost_view(self, pk):
        o = copy.deepcopy(self.outposts[pk])
        o["providers_obj"] = [{"pk": p, "name": self.providers[p]["name"],
                               "authorization_flow": self.providers[p]["authorization_flow"],
                               "invalidation_flow": self.providers[p]["invalidation_flow"],
                               "component": "ak-provider-proxy-form",
                               "meta_model_name": "authentik_providers_proxy.proxyprovider"}
                              for p in o["providers"] if p in self.providers]
        o["service_connection_obj"] = None
        return o

    def flow_view(self, flow):
        f = copy.deepcopy(flow)
        f.update({"policybindingmodel_ptr_id": f["pk"], "background": "", "stages": [],
                  "policies": [], "cache_count": 0, "policy_engine_mode": "any",
                  "compatibility_mode": False, "export_url": "/api/v3/flows/instances/"
                  + f["slug"] + "/export/", "layout": "stacked",
                  "denied_action": "message_continue", "authentication": "none"})
        return f

    def dump(self):
        return {"flows": self.flows,
                "providers": [self.provider_view(pk) for pk in sorted(self.providers)],
                "applications": [self.app_view(s) for s in sorted(self.apps)],
                "outposts": [self.outpost_view(pk) for pk in self.outposts],
                "tokens": self.tokens}


# --- validation of request bodies ---------------------------------------------------------


def check_flow(store, body, field, required):
    value = body.get(field)
    if value in (None, ""):
        if required:
            bad_request(field, REQUIRED)
        return
    if not any(f["pk"] == value for f in store.flows):
        bad_request(field, 'Invalid pk "%s" - object does not exist.' % value)


def validate_provider(store, body, partial, own_pk=None):
    if not isinstance(body, dict):
        raise ApiError(400, {"non_field_errors": ["Invalid data. Expected a dictionary."]})
    needs_invalidation = version_tuple(store.options.version) >= (2024, 10)
    for field in ("name", "external_host"):
        if not partial and not body.get(field):
            bad_request(field, REQUIRED)
    check_flow(store, body, "authorization_flow", not partial)
    check_flow(store, body, "invalidation_flow", needs_invalidation and not partial)
    check_flow(store, body, "authentication_flow", False)
    if "mode" in body and body["mode"] not in PROXY_MODES:
        bad_request("mode", '"%s" is not a valid choice.' % body["mode"])
    if "name" in body and any(p["name"] == body["name"] and pk != own_pk
                              for pk, p in store.providers.items()):
        bad_request("name", "provider with this name already exists.")
    mode = body.get("mode", store.providers[own_pk]["mode"] if own_pk else "proxy")
    internal = body.get("internal_host", store.providers[own_pk]["internal_host"] if own_pk else "")
    if mode == "proxy" and not internal:
        bad_request("internal_host", "Internal host cannot be empty when forward auth is disabled.")


def validate_app(store, body, partial, own_slug=None):
    if not isinstance(body, dict):
        raise ApiError(400, {"non_field_errors": ["Invalid data. Expected a dictionary."]})
    for field in ("name", "slug"):
        if not partial and not body.get(field):
            bad_request(field, REQUIRED)
    if "slug" in body:
        if not re.fullmatch(r"[-a-zA-Z0-9_]+", str(body["slug"])):
            bad_request("slug", "Enter a valid \u201cslug\u201d consisting of letters, numbers, "
                        "underscores or hyphens.")
        if body["slug"] != own_slug and body["slug"] in store.apps:
            bad_request("slug", "application with this slug already exists.")
    provider = body.get("provider")
    if provider is not None:
        if provider not in store.providers:
            bad_request("provider", 'Invalid pk "%s" - object does not exist.' % provider)
        if any(a["provider"] == provider and a["slug"] != own_slug for a in store.apps.values()):
            bad_request("provider", "application with this provider already exists.")


def validate_outpost(store, body, partial, own_pk=None):
    if not isinstance(body, dict):
        raise ApiError(400, {"non_field_errors": ["Invalid data. Expected a dictionary."]})
    for field in ("name", "type"):
        if not partial and not body.get(field):
            bad_request(field, REQUIRED)
    if not partial and "providers" not in body:
        bad_request("providers", REQUIRED)
    if "type" in body and body["type"] not in ("proxy", "ldap", "radius", "rac"):
        bad_request("type", '"%s" is not a valid choice.' % body["type"])
    if "name" in body and any(o["name"] == body["name"] and pk != own_pk
                              for pk, o in store.outposts.items()):
        bad_request("name", "outpost with this name already exists.")
    for p in body.get("providers", []):
        if p not in store.providers:
            bad_request("providers", 'Invalid pk "%s" - object does not exist.' % p)
    if "config" in body and not isinstance(body["config"], dict):
        bad_request("config", "Expected a dictionary of items but got type \"%s\"."
                    % type(body["config"]).__name__)


# --- the API --------------------------------------------------------------------------------


def paginate(items, query, default_size):
    try:
        size = max(1, int(query.get("page_size", default_size)))
        page = int(query.get("page", 1))
    except ValueError:
        raise ApiError(404, {"detail": "Invalid page."})
    pages = max(1, (len(items) + size - 1) // size)
    if page < 1 or page > pages:
        raise ApiError(404, {"detail": "Invalid page."})
    chunk = items[(page - 1) * size:page * size]
    start = (page - 1) * size + 1 if chunk else 0
    return {"pagination": {"next": page + 1 if page < pages else 0,
                           "previous": page - 1 if page > 1 else 0,
                           "count": len(items), "current": page, "total_pages": pages,
                           "start_index": start,
                           "end_index": start + len(chunk) - 1 if chunk else 0},
            "results": chunk}


def iexact(a, b):
    return (a or "").casefold() == (b or "").casefold()


class Api:
    """Routes one API request to its handler; returns (status, body)."""

    ROUTES = [
        (r"admin/version", "version"),
        (r"flows/instances", "flows"),
        (r"providers/proxy", "providers"),
        (r"providers/proxy/(\d+)", "provider"),
        (r"core/applications", "apps"),
        (r"core/applications/([-a-zA-Z0-9_]+)", "app"),
        (r"outposts/instances", "outposts"),
        (r"outposts/instances/([0-9a-f-]{36})", "outpost"),
        (r"outposts/instances/([0-9a-f-]{36})/health", "outpost_health"),
        (r"core/tokens/([^/]+)/view_key", "view_key"),
    ]

    def __init__(self, store, faults):
        self.store, self.faults = store, faults

    def handle(self, method, path, query, body):
        rest = path[len("/api/v3/"):].rstrip("/")
        for pattern, name in self.ROUTES:
            m = re.fullmatch(pattern, rest)
            if m:
                handler = getattr(self, name + "_" + method.lower(), None)
                if handler is None:
                    allowed = {"detail": 'Method "%s" not allowed.' % method}
                    raise ApiError(405, allowed)
                with self.store.lock:
                    return handler(query, body, *m.groups())
        raise ApiError(404, DETAIL_NOT_FOUND)

    def listing(self, items, query):
        return 200, paginate(items, query, self.store.options.page_size)

    # --- admin, flows, tokens ---

    def version_get(self, query, body):
        v = self.store.options.version
        return 200, {"version_current": v, "version_latest": v, "version_latest_valid": True,
                     "build_hash": "", "outdated": False, "outpost_outdated": False}

    def flows_get(self, query, body):
        flows = [self.store.flow_view(f) for f in self.store.flows
                 if "slug" not in query or f["slug"] == query["slug"]]
        flows = [f for f in flows if "designation" not in query
                 or f["designation"] == query["designation"]]
        return self.listing(flows, query)

    def view_key_get(self, query, body, ident):
        if ident not in self.store.tokens:
            raise ApiError(404, DETAIL_NOT_FOUND)
        return 200, {"key": self.store.tokens[ident]}

    # --- proxy providers ---

    def providers_get(self, query, body):
        s = self.store
        items = [s.provider_view(pk) for pk in sorted(s.providers)]
        if "name__iexact" in query:
            items = [p for p in items if iexact(p["name"], query["name__iexact"])]
        if "search" in query:
            items = [p for p in items if query["search"].casefold() in p["name"].casefold()]
        return self.listing(items, query)

    def providers_post(self, query, body):
        validate_provider(self.store, body, partial=False)
        pk = self.store.add_provider(provider_fields(body))
        return 201, self.store.provider_view(pk)

    def provider_lookup(self, pk):
        if int(pk) not in self.store.providers:
            raise ApiError(404, DETAIL_NOT_FOUND)
        return int(pk)

    def provider_get(self, query, body, pk):
        return 200, self.store.provider_view(self.provider_lookup(pk))

    def provider_patch(self, query, body, pk, partial=True):
        pk = self.provider_lookup(pk)
        validate_provider(self.store, body, partial=partial, own_pk=pk)
        self.store.providers[pk].update(provider_fields(body))
        return 200, self.store.provider_view(pk)

    def provider_put(self, query, body, pk):
        return self.provider_patch(query, body, pk, partial=False)

    def provider_delete(self, query, body, pk):
        pk = self.provider_lookup(pk)
        del self.store.providers[pk]
        for o in self.store.outposts.values():
            o["providers"] = [p for p in o["providers"] if p != pk]
        for a in self.store.apps.values():
            if a["provider"] == pk:
                a["provider"] = None  # Authentik's on_delete=SET_NULL
        return 204, None

    # --- applications ---

    def apps_get(self, query, body):
        items = [self.store.app_view(s) for s in sorted(self.store.apps)]
        for field in ("slug", "name", "meta_publisher"):
            if field in query:
                items = [a for a in items if a[field] == query[field]]
        return self.listing(items, query)

    def apps_post(self, query, body):
        validate_app(self.store, body, partial=False)
        app = {"pk": str(uuid.uuid4()), "provider": None, "meta_launch_url": "",
               "meta_publisher": "", "meta_description": "", "group": "",
               "open_in_new_tab": False, "policy_engine_mode": "any", "backchannel_providers": []}
        app.update(app_fields(body))
        self.store.apps[app["slug"]] = app
        return 201, self.store.app_view(app["slug"])

    def app_lookup(self, slug):
        if slug not in self.store.apps:
            raise ApiError(404, DETAIL_NOT_FOUND)
        return slug

    def app_get(self, query, body, slug):
        return 200, self.store.app_view(self.app_lookup(slug))

    def app_patch(self, query, body, slug):
        slug = self.app_lookup(slug)
        validate_app(self.store, body, partial=True, own_slug=slug)
        app = self.store.apps.pop(slug)
        app.update(app_fields(body))
        self.store.apps[app["slug"]] = app
        return 200, self.store.app_view(app["slug"])

    def app_delete(self, query, body, slug):
        del self.store.apps[self.app_lookup(slug)]
        return 204, None

    # --- outposts ---

    def outposts_get(self, query, body):
        items = [self.store.outpost_view(pk) for pk in self.store.outposts]
        for field in ("name", "managed"):
            if field + "__iexact" in query:
                items = [o for o in items if iexact(o[field], query[field + "__iexact"])]
        answer = self.listing(items, query)
        self.faults.outpost_read([o["pk"] for o in answer[1]["results"]])
        return answer

    def outposts_post(self, query, body):
        validate_outpost(self.store, body, partial=False)
        pk = self.store.add_outpost(body["name"], body["providers"], body.get("config", {}),
                                    kind=body["type"])
        return 201, self.store.outpost_view(pk)

    def outpost_lookup(self, pk):
        if pk not in self.store.outposts:
            raise ApiError(404, DETAIL_NOT_FOUND)
        return pk

    def outpost_get(self, query, body, pk):
        answer = 200, self.store.outpost_view(self.outpost_lookup(pk))
        self.faults.outpost_read([pk])
        return answer

    def outpost_patch(self, query, body, pk, partial=True):
        pk = self.outpost_lookup(pk)
        validate_outpost(self.store, body, partial=partial, own_pk=pk)
        o = self.store.outposts[pk]
        for field in ("name", "type", "providers", "config", "refresh_interval_s"):
            if field in body:
                o[field] = list(body[field]) if field == "providers" else body[field]
        return 200, self.store.outpost_view(pk)

    def outpost_put(self, query, body, pk):
        return self.outpost_patch(query, body, pk, partial=False)

    def outpost_delete(self, query, body, pk):
        o = self.store.outposts[self.outpost_lookup(pk)]
        if o["managed"] == EMBEDDED_MANAGED:
            raise ApiError(400, {"non_field_errors": ["Cannot delete the embedded outpost."]})
        del self.store.outposts[pk]
        return 204, None

    def outpost_health_get(self, query, body, pk):
        o = self.store.outposts[self.outpost_lookup(pk)]
        if o["managed"] != EMBEDDED_MANAGED:
            return 200, []  # a remote outpost that never connected
        v = self.store.options.version
        seen = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        return 200, [{"uid": "embedded", "last_seen": seen,
                      "version": v, "golang_version": "go1.23", "openssl_enabled": False,
                      "openssl_version": "", "fips_enabled": False, "version_should": v,
                      "version_outdated": False, "build_hash": "", "build_hash_should": "",
                      "hostname": "authentik-server"}]


def provider_fields(body):
    keys = ("name", "authorization_flow", "authentication_flow", "invalidation_flow",
            "internal_host", "external_host", "internal_host_ssl_validation", "mode",
            "cookie_domain", "skip_path_regex", "basic_auth_enabled", "intercept_header_auth",
            "access_token_validity", "refresh_token_validity", "property_mappings")
    return {k: body[k] for k in keys if k in body}


def app_fields(body):
    keys = ("name", "slug", "provider", "meta_launch_url", "meta_publisher", "meta_description",
            "group", "open_in_new_tab", "policy_engine_mode")
    return {k: body[k] for k in keys if k in body}


# --- faults ----------------------------------------------------------------------------------


class Faults:
    """What the test asked to go wrong; every access holds the store's lock."""

    def __init__(self, store):
        self.store = store
        self.clear()

    def clear(self):
        self.items = []
        self.touch_after = 0
        self.outpost_reads = 0

    def add(self, spec):
        if "touch_outpost_after_reads" in spec:
            self.touch_after = int(spec["touch_outpost_after_reads"])
            self.outpost_reads = 0
        if "status" in spec or "delay" in spec:
            self.items.append(dict(spec))

    def take(self, method, path):
        """The delay (seconds) and the forced (status, body) for this request, if any."""
        delay, forced = 0.0, None
        for f in self.items:
            if f.get("method") and f["method"] != method:
                continue
            if f.get("path") and not path.startswith(f["path"]):
                continue
            # A status answers once unless counted; a delay lasts until reset unless counted.
            left = f.setdefault("count", 1 if "status" in f else -1)
            if left == 0:
                continue
            if left > 0:
                f["count"] = left - 1
            if "delay" in f:
                delay = max(delay, float(f["delay"]))
            if "status" in f and forced is None:
                forced = (int(f["status"]), f.get("body", {"detail": "Internal Server Error"}))
        return delay, forced

    def outpost_read(self, pks):
        """Counts a read of outposts; at the armed count another admin edits them."""
        if not self.touch_after:
            return
        self.outpost_reads += 1
        if self.outpost_reads != self.touch_after:
            return
        self.touch_after = 0
        s = self.store
        implicit = s.flow("default-provider-authorization-implicit-consent")
        pk = s.add_provider({"name": "Other admin's app", "mode": "forward_single",
                             "authorization_flow": implicit,
                             "invalidation_flow": s.flow("default-invalidation-flow"),
                             "external_host": "https://other.example.org"})
        for o in pks:
            s.outposts[o]["providers"].append(pk)


# --- HTTP --------------------------------------------------------------------------------------


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "gunicorn"
    sys_version = ""

    def answer(self, status, body, headers=()):
        text = isinstance(body, str)
        data = b"" if body is None else body.encode() if text else json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if body is not None and not text:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None, None
        try:
            return raw, json.loads(raw)
        except ValueError:
            return raw, raw.decode("utf-8", "replace")

    def dispatch(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        raw, body = self.read_body()
        if url.path.startswith("/_standin/"):
            return self.control(url.path, body)
        status, answer, headers = self.api(url.path, query, raw, body)
        entry = {"time": time.time(), "method": self.command, "path": url.path, "query": query,
                 "body": body, "status": status}
        self.server.record(entry)
        self.answer(status, answer, headers)

    def api(self, path, query, raw, body):
        s = self.server
        with s.store.lock:
            delay, forced = s.faults.take(self.command, path)
        if delay:
            time.sleep(delay)
        if forced:
            return forced[0], forced[1], ()
        if not path.startswith("/api/v3/"):
            return 404, "<h1>Not Found</h1>", [("Content-Type", "text/html")]
        denied = self.check_auth()
        if denied:
            return denied
        if raw is not None and isinstance(body, str):
            parse_error = "JSON parse error - Expecting value: line 1 column 1 (char 0)"
            return 400, {"detail": parse_error}, ()
        try:
            status, answer = s.api.handle(self.command, path, query, body or {})
        except ApiError as e:
            status, answer = e.status, e.body
        return status, answer, ()

    def check_auth(self):
        """None when the request may go on, else (status, body, headers)."""
        s = self.server
        # Authentik's authentication classes name no WWW-Authenticate challenge, so Django
        # REST framework turns their 401 into a 403 (the schema lists no 401 at all);
        # --bad-token-status 401 answers as the brief of a textbook bearer API would.
        status = s.options.bad_token_status
        challenge = [("WWW-Authenticate", 'Bearer realm="authentik"')] if status == 401 else []
        header = self.headers.get("Authorization") or ""
        if not header:
            return status, DETAIL_NO_CREDENTIALS, challenge
        scheme, _, token = header.partition(" ")
        known = token and token in (s.admin_token, s.readonly_token)
        if scheme.lower() != "bearer" or not known:
            return status, DETAIL_BAD_TOKEN, challenge
        if token == s.readonly_token and self.command not in ("GET", "HEAD", "OPTIONS"):
            return 403, DETAIL_FORBIDDEN, ()
        return None

    def control(self, path, body):
        s = self.server
        with s.store.lock:
            if path == "/_standin/fault" and self.command == "POST":
                if body:
                    s.faults.add(body)
                else:
                    s.faults.clear()
                return self.answer(200, {"ok": True})
            if path == "/_standin/reset" and self.command == "POST":
                s.store.reset()
                s.faults.clear()
                s.log_entries.clear()
                return self.answer(200, {"ok": True})
            if path == "/_standin/state" and self.command == "GET":
                return self.answer(200, s.store.dump())
            if path == "/_standin/log" and self.command == "GET":
                return self.answer(200, list(s.log_entries))
        return self.answer(404, {"detail": "Not found."})

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = dispatch  # noqa: N815

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, options, context):
        super().__init__(("127.0.0.1", options.port), Handler)
        self.options = options
        # The handshake happens in the request's thread, so a slow client blocks nobody.
        self.socket = context.wrap_socket(self.socket, server_side=True,
                                          do_handshake_on_connect=False)
        self.store = Store(options)
        self.faults = Faults(self.store)
        self.api = Api(self.store, self.faults)
        self.admin_token = first_line(options.token_file)
        self.readonly_token = first_line(options.readonly_token_file)
        self.log_entries = []
        self.log_file = open(options.log, "a", encoding="utf-8") if options.log else None

    def record(self, entry):
        with self.store.lock:
            self.log_entries.append(entry)
            if self.log_file:
                self.log_file.write(json.dumps(entry) + "\n")
                self.log_file.flush()

    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeout test) or refused our certificate


def first_line(path):
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        return f.readline().strip() or None


def parse_args(argv):
    p = argparse.ArgumentParser(description="a stand-in for Authentik's REST API")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--version", default="2025.2.1")
    p.add_argument("--token-file")
    p.add_argument("--readonly-token-file")
    p.add_argument("--log")
    p.add_argument("--page-size", type=int, default=20)
    p.add_argument("--seed-person-app")
    p.add_argument("--bad-token-status", type=int, choices=(401, 403), default=403)
    p.add_argument("--lifetime", type=float, default=900)
    return p.parse_args(argv)


def main(argv):
    options = parse_args(argv)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(options.cert, options.key)
    server = Server(options, context)
    port = server.server_address[1]
    if options.port_file:
        with open(options.port_file + ".tmp", "w", encoding="utf-8") as f:
            f.write("%d\n" % port)
        os.replace(options.port_file + ".tmp", options.port_file)
    print("port %d" % port, flush=True)
    stop = threading.Timer(options.lifetime, server.shutdown)
    stop.daemon = True
    stop.start()
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
