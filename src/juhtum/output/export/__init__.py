"""Documents for other people: the case plan to print and sign, a meeting's protocol, a calendar.

The plan holds what the regulation on case plans lists (määrus nr 10 § 1) and a
signature line for every party (juhis §4.2); a network meeting's protocol is
the copy every participant receives (seed 004). Both are built once as blocks
and written as Markdown or as a printable HTML page. The calendar (iCalendar)
carries the case's deadlines and reviews with the case id and what is due, and
no one's name or any free text: calendars travel to phones and clouds.

:mod:`juhtum.output.export.blocks` the blocks a document is built of and the names in
them; :mod:`juhtum.output.export.case_plan` the case plan; :mod:`juhtum.output.export.meeting`
a meeting's protocol; :mod:`juhtum.output.export.omit` ``--omit-free-text``;
:mod:`juhtum.output.export.markup` blocks as Markdown or HTML;
:mod:`juhtum.output.export.calendar` the iCalendar file.
"""
