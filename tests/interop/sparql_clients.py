"""Real Python SPARQL clients against a running unionkg SPARQL endpoint.

Usage: python sparql_clients.py http://127.0.0.1:PORT/sparql

Two independent clients talk to the endpoint over HTTP:
  * SPARQLWrapper (GET, POST form and POST application/sparql-query; SELECT as JSON, XML, CSV and TSV;
    ASK; CONSTRUCT/DESCRIBE as Turtle, N-Triples, RDF/XML and JSON-LD),
  * rdflib's SPARQLStore (a read-only Graph/Dataset over the endpoint: `in`, triples(), query()).
Expected values come from the data itself through one client and are compared with the other.
Prints one `ok ...` or `FAIL ...` line per check and exits 1 if any check failed.
"""

import csv
import io
import os
import socket
import sys
import traceback

from rdflib import Graph, Literal, Namespace
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

ID = Namespace("http://localhost:7878/id/")
TU = Namespace("http://localhost:7878/ontology#")
ACFTU = ID.acftu
DGB = ID.dgb
ACFTU_EN = Literal("All-China Federation of Trade Unions", lang="en")
ACFTU_ZH = Literal("中华全国总工会", lang="zh-Hans")
PREFIXES = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX tu: <http://localhost:7878/ontology#>\n"
    "PREFIX id: <http://localhost:7878/id/>\n"
)
# Mixed term kinds (IRIs, language-tagged literals) in a fixed order, for comparing result formats.
LABELS_QUERY = PREFIXES + (
    "SELECT ?org ?label WHERE { VALUES ?org { id:acftu id:dgb } ?org skos:prefLabel ?label }\n"
    "ORDER BY ?org ?label"
)
ACFTU_TRIPLES = "CONSTRUCT { id:acftu ?p ?o } WHERE { id:acftu ?p ?o }"

results = {"ok": 0, "fail": 0}


def check(name, fn):
    """Run one check; fn returns a truthy value or a (bool, detail) pair, or raises."""
    try:
        out = fn()
        good, detail = out if isinstance(out, tuple) else (bool(out), "")
    except Exception as exc:  # one failing check must not stop the others
        good, detail = False, f"{type(exc).__name__}: {exc}"
        if os.environ.get("INTEROP_VERBOSE"):
            traceback.print_exc(file=sys.stderr)
    detail = " ".join(str(detail).split())
    detail = detail if len(detail) <= 600 else detail[:600] + " …"
    results["ok" if good else "fail"] += 1
    print(f"{'ok' if good else 'FAIL'} {name}{'' if good or not detail else ': ' + str(detail)}", flush=True)
    return good


def wrapper(endpoint, query, fmt, method=None, request_method=None, only_conneg=False):
    """SPARQLWrapper as people use it: by default it also sends format=/output=/results= parameters."""
    sw = SPARQLWrapper(endpoint)
    sw.setOnlyConneg(only_conneg)
    sw.setTimeout(30)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(method)
    if request_method:
        sw.setRequestMethod(request_method)
    return sw.query()


# --- row normalisation: every format to a list of {var: (kind, value, lang-or-datatype)} ---


def rows_from_json(doc):
    out = []
    for b in doc["results"]["bindings"]:
        row = {}
        for var, t in b.items():
            if t["type"] == "uri":
                row[var] = ("uri", t["value"], "")
            elif t["type"] in ("literal", "typed-literal"):
                row[var] = ("literal", t["value"], (t.get("xml:lang") or t.get("datatype") or "").lower())
            else:
                row[var] = ("bnode", "", "")
        out.append(row)
    return out


def rows_from_xml(dom):
    ns = "http://www.w3.org/2005/sparql-results#"
    out = []
    for result in dom.getElementsByTagNameNS(ns, "result"):
        row = {}
        for binding in result.getElementsByTagNameNS(ns, "binding"):
            node = next(n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE)
            text = "".join(c.data for c in node.childNodes if c.nodeType == c.TEXT_NODE)
            if node.localName == "uri":
                row[binding.getAttribute("name")] = ("uri", text, "")
            elif node.localName == "literal":
                extra = node.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang") or node.getAttribute("datatype")
                row[binding.getAttribute("name")] = ("literal", text, extra.lower())
            else:
                row[binding.getAttribute("name")] = ("bnode", "", "")
        out.append(row)
    return out


def rows_from_csv(data):
    """CSV keeps only lexical forms: compare values only."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    return [{k: v for k, v in r.items() if v != ""} for r in reader]


def tsv_term(text):
    """One RDF term in SPARQL TSV (Turtle/N-Triples syntax) to (kind, value, lang-or-datatype)."""
    if text.startswith("<") and text.endswith(">"):
        return ("uri", text[1:-1], "")
    if text.startswith("_:"):
        return ("bnode", "", "")
    if text.startswith('"'):
        end = text.rindex('"')
        lex = text[1:end].encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        rest = text[end + 1 :]
        if rest.startswith("@"):
            return ("literal", lex, rest[1:].lower())
        if rest.startswith("^^<"):
            return ("literal", lex, rest[3:-1].lower())
        return ("literal", lex, "")
    return ("literal", text, "")  # bare numbers and booleans


def rows_from_tsv(data):
    lines = data.decode("utf-8").split("\n")
    header = [h.lstrip("?") for h in lines[0].split("\t")]
    out = []
    for line in lines[1:]:
        if not line:
            continue
        cells = line.split("\t")
        out.append({h: tsv_term(c) for h, c in zip(header, cells) if c != ""})
    return out


def values_only(rows):
    return [{k: v[1] for k, v in r.items()} for r in rows]


def plain_literal_rows(rows):
    """Drop xsd:string datatypes (SPARQL 1.1 simple literals) so formats compare alike."""
    xsd_string = "http://www.w3.org/2001/xmlschema#string"
    return [{k: (v[0], v[1], "" if v[2] == xsd_string else v[2]) for k, v in r.items()} for r in rows]


def main(endpoint):
    socket.setdefaulttimeout(30)
    expect_row_en = {"org": ("uri", str(ACFTU), ""), "label": ("literal", str(ACFTU_EN), "en")}
    expect_row_zh = {"org": ("uri", str(ACFTU), ""), "label": ("literal", str(ACFTU_ZH), "zh-hans")}
    state = {}

    # ---------------- SPARQLWrapper: SELECT in every result format ----------------
    def select_json():
        res = wrapper(endpoint, LABELS_QUERY, JSON)
        ctype = res.info().get("content-type", "")
        rows = rows_from_json(res.convert())
        state["json"] = rows
        orgs = {r["org"][1] for r in rows}
        good = expect_row_en in rows and expect_row_zh in rows and str(DGB) in orgs
        good = good and ctype.startswith("application/sparql-results+json")
        return good, f"content-type {ctype!r}, rows {rows[:4]}"

    check("SPARQLWrapper SELECT JSON (GET): ACFTU's English and Chinese prefLabels, DGB present", select_json)

    def select_xml():
        res = wrapper(endpoint, LABELS_QUERY, XML)
        ctype = res.info().get("content-type", "")
        rows = rows_from_xml(res.convert())
        good = plain_literal_rows(rows) == plain_literal_rows(state["json"])
        return good and ctype.startswith("application/sparql-results+xml"), f"content-type {ctype!r}; xml {rows[:3]} json {state['json'][:3]}"

    check("SPARQLWrapper SELECT XML: same rows, terms and language tags as JSON", select_xml)

    def select_csv():
        res = wrapper(endpoint, LABELS_QUERY, CSV)
        ctype = res.info().get("content-type", "")
        rows = rows_from_csv(res.convert())
        good = rows == values_only(state["json"]) and ctype.startswith("text/csv")
        return good, f"content-type {ctype!r}; csv {rows[:3]}"

    check("SPARQLWrapper SELECT CSV: same rows (values) as JSON", select_csv)

    def select_tsv():
        res = wrapper(endpoint, LABELS_QUERY, TSV)
        ctype = res.info().get("content-type", "")
        rows = rows_from_tsv(res.convert())
        good = plain_literal_rows(rows) == plain_literal_rows(state["json"])
        return good and ctype.startswith("text/tab-separated-values"), f"content-type {ctype!r}; tsv {rows[:3]}"

    check("SPARQLWrapper SELECT TSV: same rows, terms and language tags as JSON", select_tsv)

    def post_variants():
        form = rows_from_json(wrapper(endpoint, LABELS_QUERY, JSON, POST, URLENCODED).convert())
        direct = rows_from_json(wrapper(endpoint, LABELS_QUERY, JSON, POST, POSTDIRECTLY).convert())
        return form == state["json"] and direct == state["json"], f"form {form[:2]} direct {direct[:2]}"

    check("SPARQLWrapper SELECT via POST form and POST application/sparql-query: same rows as GET", post_variants)

    def counts():
        q = PREFIXES + (
            "SELECT (COUNT(*) AS ?quads) (COUNT(DISTINCT ?s) AS ?subjects) WHERE { ?s ?p ?o }"
        )
        b = wrapper(endpoint, q, JSON).convert()["results"]["bindings"][0]
        state["triples"] = int(b["quads"]["value"])
        acftu = wrapper(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { <%s> ?p ?o }" % ACFTU, JSON).convert()
        state["acftu_triples"] = int(acftu["results"]["bindings"][0]["n"]["value"])
        good = state["triples"] > 10000 and state["acftu_triples"] > 5
        return good, f"triples {state['triples']}, ACFTU triples {state['acftu_triples']}"

    check("SPARQLWrapper SELECT COUNT over the union default graph: > 10000 triples", counts)

    def count_csv_matches():
        q = "SELECT (COUNT(*) AS ?quads) WHERE { ?s ?p ?o }"
        rows = rows_from_csv(wrapper(endpoint, q, CSV).convert())
        return int(rows[0]["quads"]) == state["triples"], f"csv {rows}"

    check("SPARQLWrapper COUNT as CSV equals COUNT as JSON", count_csv_matches)

    # ---------------- SPARQLWrapper: ASK ----------------
    def ask(query, expected, fmt):
        res = wrapper(endpoint, PREFIXES + query, fmt).convert()
        if fmt == JSON:
            got = res["boolean"]
        else:
            node = res.getElementsByTagNameNS("http://www.w3.org/2005/sparql-results#", "boolean")[0]
            got = node.firstChild.data.strip() == "true"
        return got is expected, f"got {got!r}"

    check("SPARQLWrapper ASK JSON true (ACFTU is a tu:Organisation)", lambda: ask("ASK { id:acftu a tu:Organisation }", True, JSON))
    check("SPARQLWrapper ASK JSON false (ACFTU is not a tu:Person)", lambda: ask("ASK { id:acftu a tu:Person }", False, JSON))
    check("SPARQLWrapper ASK XML true (English prefLabel)",
          lambda: ask('ASK { id:acftu skos:prefLabel "All-China Federation of Trade Unions"@en }', True, XML))
    check("SPARQLWrapper ASK XML false (label in the wrong language)",
          lambda: ask('ASK { id:acftu skos:prefLabel "All-China Federation of Trade Unions"@fr }', False, XML))

    # ---------------- SPARQLWrapper: CONSTRUCT / DESCRIBE ----------------
    def construct_turtle():
        res = wrapper(endpoint, PREFIXES + ACFTU_TRIPLES, TURTLE)
        ctype = res.info().get("content-type", "")
        data = res.convert()
        g = Graph().parse(data=data, format="turtle")
        state["construct"] = g
        good = (ACFTU, SKOS.prefLabel, ACFTU_EN) in g and (ACFTU, SKOS.prefLabel, ACFTU_ZH) in g
        good = good and (ACFTU, RDF.type, TU.Organisation) in g and len(g) == state["acftu_triples"]
        return good and ctype.startswith("text/turtle"), f"content-type {ctype!r}, {len(g)} triples, expected {state['acftu_triples']}"

    check("SPARQLWrapper CONSTRUCT Turtle into an rdflib Graph: labels, type, as many triples as SELECT COUNT", construct_turtle)

    def construct_other(fmt, rdflib_format, accept_prefix, only_conneg=False):
        res = wrapper(endpoint, PREFIXES + ACFTU_TRIPLES, fmt, only_conneg=only_conneg)
        ctype = res.info().get("content-type", "")
        data = res.response.read()
        g = Graph().parse(data=data, format=rdflib_format)
        good = isomorphic(g, state["construct"]) and ctype.startswith(accept_prefix)
        return good, f"content-type {ctype!r}, {len(g)} triples vs {len(state['construct'])} in Turtle"

    check("SPARQLWrapper CONSTRUCT RDF/XML: same graph as Turtle",
          lambda: construct_other(RDFXML, "xml", "application/rdf+xml"))
    check("SPARQLWrapper CONSTRUCT JSON-LD (Accept only): same graph as Turtle",
          lambda: construct_other(JSONLD, "json-ld", "application/ld+json", only_conneg=True))
    check("SPARQLWrapper CONSTRUCT JSON-LD (default: Accept plus format=json-ld&format=<its Accept list>): same graph",
          lambda: construct_other(JSONLD, "json-ld", "application/ld+json"))
    check("SPARQLWrapper CONSTRUCT N3 (Accept only: application/turtle,text/turtle,…): Turtle, same graph",
          lambda: construct_other(N3, "turtle", "text/turtle", only_conneg=True))
    check("SPARQLWrapper CONSTRUCT N3 (default: Accept plus format=n3): Turtle, same graph",
          lambda: construct_other(N3, "turtle", "text/turtle"))

    def construct_rdfxml_convert():
        g = wrapper(endpoint, PREFIXES + ACFTU_TRIPLES, RDFXML).convert()  # SPARQLWrapper parses it itself
        return isinstance(g, Graph) and (ACFTU, SKOS.prefLabel, ACFTU_EN) in g, f"{type(g).__name__}"

    check("SPARQLWrapper CONSTRUCT RDF/XML convert() gives a Graph with the English label", construct_rdfxml_convert)

    def describe():
        data = wrapper(endpoint, PREFIXES + "DESCRIBE id:acftu", TURTLE).convert()
        g = Graph().parse(data=data, format="turtle")
        return (ACFTU, SKOS.prefLabel, ACFTU_EN) in g, f"{len(g)} triples"

    check("SPARQLWrapper DESCRIBE Turtle: the description has the English prefLabel", describe)

    # ---------------- rdflib SPARQLStore ----------------
    def store_graph(fmt="xml", method="GET"):
        # A Graph with a blank-node identifier queries the endpoint's default graph (no default-graph-uri).
        return Graph(SPARQLStore(endpoint, returnFormat=fmt, method=method))

    def store_contains():
        g = store_graph()
        good = (ACFTU, SKOS.prefLabel, ACFTU_EN) in g and (ACFTU, SKOS.prefLabel, ACFTU_ZH) in g
        good = good and (ACFTU, RDF.type, TU.Organisation) in g and (ACFTU, RDF.type, TU.Person) not in g
        good = good and (ACFTU, SKOS.prefLabel, Literal("All-China Federation of Trade Unions", lang="fr")) not in g
        return good

    check("rdflib SPARQLStore: `(acftu, skos:prefLabel, 'All-China …'@en) in graph` and negatives", store_contains)

    def store_triples():
        g = store_graph()
        got = set(g.triples((ACFTU, None, None)))
        return len(got) == state["acftu_triples"] and isomorphic(Graph().__iadd__(got), state["construct"]), (
            f"{len(got)} triples vs {state['acftu_triples']}"
        )

    check("rdflib SPARQLStore triples((acftu, None, None)): same triples as CONSTRUCT", store_triples)

    def store_query(fmt, method):
        g = store_graph(fmt, method)
        res = g.query(LABELS_QUERY)
        rows = [{"org": ("uri", str(r.org), ""), "label": ("literal", str(r.label), (r.label.language or "").lower())} for r in res]
        return plain_literal_rows(rows) == plain_literal_rows(state["json"]), f"{rows[:3]}"

    check("rdflib SPARQLStore Graph.query() (XML results, GET): same rows as SPARQLWrapper", lambda: store_query("xml", "GET"))
    check("rdflib SPARQLStore Graph.query() (JSON results, POST sparql-query): same rows",
          lambda: store_query("json", "POST"))

    def store_query_csv():
        g = store_graph("csv", "POST_FORM")
        res = g.query(LABELS_QUERY)
        rows = [{"org": str(r.org), "label": str(r.label)} for r in res]
        return rows == values_only(state["json"]), f"{rows[:3]}"

    check("rdflib SPARQLStore Graph.query() (CSV results, POST form): same rows", store_query_csv)

    def store_value_and_len():
        g = store_graph("json")
        labels = set(g.objects(ACFTU, SKOS.prefLabel))
        delegations = list(g.subjects(RDF.type, TU.DelegationVisit))
        n = wrapper(endpoint, PREFIXES + "SELECT (COUNT(DISTINCT ?v) AS ?n) WHERE { ?v a tu:DelegationVisit }", JSON).convert()
        expected = int(n["results"]["bindings"][0]["n"]["value"])
        good = ACFTU_EN in labels and ACFTU_ZH in labels and len(set(delegations)) == expected and expected > 0
        return good, f"labels {sorted(labels)}; {len(set(delegations))} delegation visits vs COUNT {expected}"

    check("rdflib SPARQLStore objects()/subjects(): labels, and tu:DelegationVisit count equals SPARQLWrapper COUNT",
          store_value_and_len)

    def store_construct():
        g = store_graph()
        res = g.query(PREFIXES + ACFTU_TRIPLES)
        return isomorphic(res.graph, state["construct"]), f"{len(res.graph)} triples"

    check("rdflib SPARQLStore CONSTRUCT through Graph.query(): same graph as SPARQLWrapper", store_construct)

    def store_ask():
        g = store_graph()
        yes = g.query(PREFIXES + "ASK { id:acftu a tu:Organisation }").askAnswer
        no = g.query(PREFIXES + "ASK { id:acftu a tu:Person }").askAnswer
        return yes is True and no is False, f"{yes!r} {no!r}"

    check("rdflib SPARQLStore ASK: true and false", store_ask)

    def store_len():
        n = len(store_graph("json"))
        return n == state["triples"], f"len {n} vs COUNT {state['triples']}"

    check("rdflib SPARQLStore len(graph): the SPARQLWrapper COUNT", store_len)

    def store_named_graphs():
        store = SPARQLStore(endpoint, returnFormat="json")
        names = set(store.contexts())
        q = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        expected = int(wrapper(endpoint, q, JSON).convert()["results"]["bindings"][0]["n"]["value"])
        home = set(store.contexts((ACFTU, SKOS.prefLabel, ACFTU_EN)))
        state["home"] = sorted(home)
        good = len(names) == expected and expected > 1 and bool(home) and home <= names
        return good, f"{len(names)} named graphs vs COUNT {expected}; ACFTU's label in {sorted(home)}"

    check("rdflib SPARQLStore contexts(): the named graphs, as many as SPARQLWrapper counts", store_named_graphs)

    def store_one_named_graph():
        home = state["home"][0]
        g = Graph(SPARQLStore(endpoint, returnFormat="json"), identifier=home)  # sends default-graph-uri=<home>
        q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } }" % home
        expected = int(wrapper(endpoint, q, JSON).convert()["results"]["bindings"][0]["n"]["value"])
        n = len(g)
        good = (ACFTU, SKOS.prefLabel, ACFTU_EN) in g and n == expected and 0 < n < state["triples"]
        return good, f"graph <{home}>: len {n} vs GRAPH COUNT {expected} (all: {state['triples']})"

    check("rdflib SPARQLStore Graph over one named graph (default-graph-uri): its triples only", store_one_named_graph)

    total = results["ok"] + results["fail"]
    print(f"sparql_clients: {results['ok']} of {total} checks passed", flush=True)
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: sparql_clients.py http://127.0.0.1:PORT/sparql", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
