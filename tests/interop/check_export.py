"""Independent checks of a build's exports: rdflib parses each format, pySHACL finds 0 violations, pyLODE renders."""
import sys, subprocess, tempfile, os
from rdflib import Graph, Dataset
from pyshacl import validate

work = sys.argv[1]
BASE = "http://localhost:7878/"
failures = []
passed = 0

def check(name, ok, detail=""):
    global passed
    if ok:
        passed += 1
        print(f"ok   {name}", flush=True)
    else:
        failures.append(name)
        print(f"FAIL {name} {detail}", flush=True)

quads = Dataset()
quads.parse(f"{work}/export.nq", format="nquads")
n_quads = len(list(quads.quads()))
triples = {(s, p, o) for s, p, o, _ in quads.quads()}
check("N-Quads export parses and is not empty", n_quads > 1000, f"{n_quads} quads")
graphs = {str(g) for _, _, _, g in quads.quads()}
check("one named graph per source document plus the ontology", {BASE + "graph/a", BASE + "graph/b", BASE + "graph/ontology"} <= graphs, str(graphs))

for ext, fmt in [("trig", "trig"), ("jsonld", "json-ld")]:
    d = Dataset(); d.parse(f"{work}/export.{ext}", format=fmt)
    n = len({q for q in d.quads() if q[3] is not None and str(q[3]) != "urn:x-rdflib:default"})
    check(f"{fmt} export keeps the named graphs and every quad", n == n_quads, f"{n} vs {n_quads}")
for ext, fmt in [("nt", "nt"), ("ttl", "turtle"), ("rdf", "xml")]:
    g = Graph(); g.parse(f"{work}/export.{ext}", format=fmt)
    check(f"{fmt} export parses to the union of the graphs", len(g) == len(triples), f"{len(g)} vs {len(triples)}")

onto = Graph(); onto.parse("ontology/unionkg.ttl", format="turtle", publicID=BASE)
shapes = Graph(); shapes.parse("ontology/shapes.ttl", format="turtle", publicID=BASE)
check("rdflib parses the ontology and the shapes", len(onto) > 100 and len(shapes) > 10)

# The export holds the ontology graph, so rdfs:subClassOf is there for sh:class and sh:targetClass
# without RDFS inference (which is far slower and adds nothing here).
data = Graph(); data.parse(f"{work}/export.nt", format="nt")
conforms, _, text = validate(data, shacl_graph=shapes, inference="none", advanced=True)
violations = text.count("Severity: sh:Violation")
infos = text.count("Severity: sh:Info")
check("pySHACL: 0 violations on the export", violations == 0, text[:3000])
check("pySHACL reports the uncertain identifications as sh:Info", infos > 0)

with tempfile.TemporaryDirectory() as d:
    src = os.path.join(d, "onto.ttl"); onto.serialize(src, format="turtle")
    out = os.path.join(d, "onto.html")
    r = subprocess.run([sys.executable, "-m", "pylode", src, "-o", out], capture_output=True, text=True)
    html = open(out, encoding="utf-8").read() if os.path.exists(out) else ""
    check("pyLODE renders the ontology", r.returncode == 0 and "DelegationVisit" in html, r.stderr[-2000:])

print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
