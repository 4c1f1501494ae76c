"""A change to a case: the session, and one step per command.

``session`` (the lock, recovery, the check of a proposal, the write through the journal and the
commit) on a ``snapshot`` (the case as it is and as a change would make it); ``targets`` (where a
command writes, the text as stored); then the steps by stage of the guideline:
``stage_documents`` (§1-§3), ``case_plan`` (§4, §5.2), ``signing`` (§4.2), ``implementing``
(§5-§6, meetings, the diary), ``closing_handover`` (§7-§8), ``registering`` (people) and
``editing`` (any document).
"""
