"""Git as the history of cases: the only code that talks to git.

``git`` runs it; ``commits`` commits the steps of cases with their trailers; ``timeline``
reads them back; ``changes`` tells what differs from a commit; ``sync`` shares through a
remote. The names the rest of juhtum uses are here too.
"""

from juhtum.history.changes import (
    changed_between,
    changed_since,
    changes_between,
    dirty,
    parse_changed_folders,
    parse_folder_trees,
    start_changed_folders,
    start_folder_trees,
    uncommitted,
)
from juhtum.history.commits import (
    check_identity,
    clear_stale_index_lock,
    commit,
    commit_erasure,
    commit_if_changed,
    identity,
    set_identity,
    unfinished_operation,
)
from juhtum.history.git import (
    Pending,
    configure,
    in_git,
    init,
    set_config,
    toplevel,
    tracked,
    unstage,
    write_commit_graph,
)
from juhtum.history.sync import (
    content_at,
    fast_forward,
    fetch,
    is_ancestor,
    merge,
    merge_base,
    merge_target,
    push,
    rev,
    set_ref,
    upstream,
    upstream_ref,
)
from juhtum.history.timeline import Entry, erasures, log

__all__ = [
    "Entry",
    "Pending",
    "changed_between",
    "changed_since",
    "changes_between",
    "check_identity",
    "clear_stale_index_lock",
    "commit",
    "commit_erasure",
    "commit_if_changed",
    "configure",
    "content_at",
    "dirty",
    "erasures",
    "fast_forward",
    "fetch",
    "identity",
    "in_git",
    "init",
    "is_ancestor",
    "log",
    "merge",
    "merge_base",
    "merge_target",
    "parse_changed_folders",
    "parse_folder_trees",
    "push",
    "rev",
    "set_config",
    "set_identity",
    "set_ref",
    "start_changed_folders",
    "start_folder_trees",
    "toplevel",
    "tracked",
    "uncommitted",
    "unfinished_operation",
    "unstage",
    "upstream",
    "upstream_ref",
    "write_commit_graph",
]
