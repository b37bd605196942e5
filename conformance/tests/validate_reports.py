#!/usr/bin/env python3
"""validate_reports.py - the report formats as CI systems read them: a failing
and a passing run of tdxabi in JUnit (xmllint against the Jenkins xUnit
JUnit XSD), SARIF 2.1.0 (python3-jsonschema against the OASIS schema), JSON
(against our schema) and KTAP (against the KTAP v1 grammar of the kernel's
Documentation/dev-tools/ktap.rst, checked here), several from one run.

usage: validate_reports.py TDXABI STUB_DIR SCHEMA_DIR REPORT_SCHEMA
Exit 77 (CTest's skip) when xmllint or python3-jsonschema is missing."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def run(tdxabi, arguments, expected_exit):
    done = subprocess.run([tdxabi] + arguments, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True)
    if done.returncode != expected_exit:
        fail("%s: exit %d, expected %d: %s" % (" ".join(arguments), done.returncode,
                                               expected_exit, done.stderr))
    return done.stdout


KTAP_TEST = re.compile(r"^(ok|not ok) (\d+)( [^#]*)?( # .*)?$")


def check_ktap(text, name):
    """Every level: 'KTAP version 1', a plan '1..N', then N numbered test
    lines in order, each subtest indented 4 more and closed by its line."""
    lines = text.rstrip("\n").split("\n")

    def level(position, indent):
        prefix = " " * indent
        if position >= len(lines) or lines[position] != prefix + "KTAP version 1":
            fail("%s: line %d: expected '%sKTAP version 1'" % (name, position + 1, prefix))
        position += 1
        while position < len(lines) and lines[position].startswith(prefix + "# "):
            position += 1
        plan = re.match(r"^" + prefix + r"1\.\.(\d+)$", lines[position]) if position < len(lines) else None
        if not plan:
            fail("%s: line %d: expected a plan '1..N'" % (name, position + 1))
        planned, position, number = int(plan.group(1)), position + 1, 0
        while number < planned:
            if position >= len(lines):
                fail("%s: the plan says %d tests, %d came" % (name, planned, number))
            line = lines[position]
            if line.startswith(prefix + "    KTAP version 1"):
                position = level(position, indent + 4)
                continue
            if line.startswith(prefix + "#"):
                position += 1
                continue
            test = KTAP_TEST.match(line[indent:]) if line.startswith(prefix) else None
            if not test or line[indent] == " ":
                fail("%s: line %d: not a test line: %r" % (name, position + 1, line))
            number += 1
            if int(test.group(2)) != number:
                fail("%s: line %d: test %s where %d was due" % (name, position + 1, test.group(2), number))
            if test.group(4) and not re.match(r"^ # (SKIP|TODO|XFAIL)( .*)?$", test.group(4)):
                fail("%s: line %d: unknown directive %r" % (name, position + 1, test.group(4)))
            position += 1
        return position

    end = level(0, 0)
    if end != len(lines):
        fail("%s: line %d: text after the last test" % (name, end + 1))


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    tdxabi, stubs, schemas, report_schema = sys.argv[1:]
    try:
        import jsonschema
    except ImportError:
        print("SKIP: python3-jsonschema is not installed (apt-get install python3-jsonschema)")
        return SKIP
    if not shutil.which("xmllint"):
        print("SKIP: xmllint is not installed (apt-get install libxml2-utils)")
        return SKIP
    sarif_schema = json.load(open(os.path.join(schemas, "sarif-schema-2.1.0.json")))
    ours = json.load(open(report_schema))
    jsonschema.Draft7Validator.check_schema(ours)
    mutant = ["--object", os.path.join(stubs, "mutants", "callee_saved_clobbered.o"),
              "--symbol", "tdxabi_mutant_naive_r12_r14", "--binding", "linux-6.7-module-args-ret"]
    runs = {"failing": (mutant, 1), "passing": (["--symbol", "tdxabi_seamcall_ret"], 0),
            "skipped": (["--symbol", "tdxabi_edk2_tdcall", "--faults", "vmm-retry"], 0)}
    with tempfile.TemporaryDirectory() as directory:
        for label, (selection, exit_code) in runs.items():
            paths = {form: os.path.join(directory, "%s.%s" % (label, form))
                     for form in ("junit", "sarif", "json")}
            # one run, four reports: KTAP on standard output, the rest as files
            ktap = run(tdxabi, ["check"] + selection + ["--format", "ktap"] +
                       sum([["--report", "%s=%s" % (form, path)] for form, path in paths.items()], []),
                       4 if label == "skipped" else exit_code)
            check_ktap(ktap, label + " ktap")
            lint = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(schemas, "junit.xsd"),
                                   paths["junit"]], capture_output=True, text=True)
            if lint.returncode != 0:
                fail("%s junit: %s" % (label, lint.stderr))
            sarif = json.load(open(paths["sarif"]))
            for error in jsonschema.Draft4Validator(sarif_schema).iter_errors(sarif):
                fail("%s sarif: %s at %s" % (label, error.message, list(error.absolute_path)))
            report = json.load(open(paths["json"]))
            for error in jsonschema.Draft7Validator(ours).iter_errors(report):
                fail("%s json: %s at %s" % (label, error.message, list(error.absolute_path)))
            results = sarif["runs"][0]["results"]
            if label == "failing":
                if not results or any("startLine" not in r["locations"][0]["physicalLocation"]["region"]
                                      for r in results):
                    fail("failing sarif: each result needs region.startLine")
                if "not ok" not in ktap or "<failure" not in open(paths["junit"]).read():
                    fail("failing run: KTAP and JUnit must show the failure")
            elif results:
                fail("%s sarif: results where there is no finding" % label)
        # audit's findings as SARIF: a failing and a clean object
        for label, arguments, exit_code in (
                ("audit failing", mutant, 1),
                ("audit passing", ["--object", os.path.join(stubs, "reference", "module_args_6_7.o"),
                                   "--binding", "linux-6.7-module-args-ret", "--symbol",
                                   "tdxabi_seamcall_ret"], 0)):
            sarif = json.loads(run(tdxabi, ["audit"] + arguments + ["--format", "sarif"], exit_code))
            for error in jsonschema.Draft4Validator(sarif_schema).iter_errors(sarif):
                fail("%s sarif: %s at %s" % (label, error.message, list(error.absolute_path)))
            if bool(sarif["runs"][0]["results"]) != (exit_code == 1):
                fail("%s sarif: results must be the findings" % label)
        # fingerprints are stable: the same finding, the same fingerprint, run to run
        first = run(tdxabi, ["check"] + mutant + ["--format", "sarif"], 1)
        again = run(tdxabi, ["check"] + mutant + ["--format", "sarif", "--seed", "7"], 1)
        prints = [[r["partialFingerprints"] for r in json.loads(text)["runs"][0]["results"]]
                  for text in (first, again)]
        if prints[0] != prints[1] or len({str(p) for p in prints[0]}) != len(prints[0]):
            fail("sarif partialFingerprints must be distinct per finding and stable across seeds")
    print("ok: junit, sarif, json and ktap validate for a failing, a passing and a skipped run; "
          "audit's sarif too")
    return 0


if __name__ == "__main__":
    sys.exit(main())
