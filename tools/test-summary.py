#!/usr/bin/env python3
"""tools/test-summary.py NAME RESULTS.trx: prints every skipped test with its reason (dotnet test's console shows only
the name), so a skip on a host that lacks a kernel feature or a tool is visible, then one line of counts."""
import os
import sys
import xml.etree.ElementTree as ElementTree

name, trx = sys.argv[1], sys.argv[2]
if not os.path.exists(trx):
    sys.exit(f"{name}: no results in {trx} (the test run did not start)")
NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
results = ElementTree.parse(trx).getroot().findall(".//t:UnitTestResult", NS)
skipped = sorted(
    f"  {result.get('testName')}: "
    + result.findtext("t:Output/t:ErrorInfo/t:Message", default="(no reason given)", namespaces=NS).strip()
    for result in results if result.get("outcome") == "NotExecuted")
if skipped:
    print(f"{name}: skipped, with the reason:")
    print("\n".join(skipped))
passed = sum(result.get("outcome") == "Passed" for result in results)
failed = sum(result.get("outcome") == "Failed" for result in results)
print(f"{name}: {passed} passed, {failed} failed, {len(skipped)} skipped")
