"""Output: what leaves juhtum for a person or a program.

:mod:`juhtum.output.reporters` validate's reporters (text, json, github, gitlab);
:mod:`juhtum.output.report_formats` the caseload report as a table, CSV or an HTML page;
:mod:`juhtum.output.export` documents for other people (the plan, a protocol, a calendar);
:mod:`juhtum.output.pseudonym` keyed pseudonyms for an export; :mod:`juhtum.output.safe_text`
the escaping of every string that leaves juhtum; :mod:`juhtum.output.view_facts` the facts of
every case the views (due, list, report) are built from; :mod:`juhtum.output.ci` ready CI
configurations.
"""
