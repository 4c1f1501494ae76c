"""Reading and writing documents: the strict YAML reader (:mod:`.yamlio`), round-trip edits
that keep a person's comments (:mod:`.roundtrip`), the commented templates (:mod:`.templates`,
the schema resolved for them in :mod:`.schema_tree`, an existing document reopened in
:mod:`.reopen`) and the JSON Schemas (:mod:`.schemas`, one source: the top-level ``schemas/``;
a case repository's copies in :mod:`.schema_copies`, the editing copies a draft is checked
against in :mod:`.editing_schemas`).
"""
